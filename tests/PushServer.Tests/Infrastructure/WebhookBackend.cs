using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PushServer.Tests.Infrastructure;

/// <summary>
/// A webhook backend on loopback for the webhook tests: each JSON report posted to <see cref="Url"/> that the test's
/// check accepts is recorded, then answered by the test's answer; a test waits for the reports it expects.
/// </summary>
public sealed class WebhookBackend : IAsyncDisposable
{
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(15);

    private readonly ConcurrentQueue<JsonElement> _received = new();
    private readonly SemaphoreSlim _arrivals = new(0);
    private readonly Func<HttpContext, byte[], bool> _accept;
    private readonly Func<HttpContext, JsonElement, Task> _answer;
    private KestrelTestServer _server = null!;

    private WebhookBackend(Func<HttpContext, byte[], bool> accept, Func<HttpContext, JsonElement, Task> answer)
    {
        _accept = accept;
        _answer = answer;
    }

    /// <summary>The hook's URL, for <c>Webhooks:Url</c>.</summary>
    public Uri Url => new(_server.BaseAddress, "hook");

    /// <summary>
    /// Starts the backend. <paramref name="answer"/> writes the response to a recorded report; <paramref name="accept"/>,
    /// if given, sees the raw body first and refuses a report (writing its own response) by returning false.
    /// </summary>
    public static async Task<WebhookBackend> StartAsync(Func<HttpContext, JsonElement, Task> answer, Func<HttpContext, byte[], bool>? accept = null)
    {
        var backend = new WebhookBackend(accept ?? ((_, _) => true), answer);
        backend._server = await KestrelTestServer.StartAsync(null, app => app.MapPost("/hook", backend.HandleAsync));
        return backend;
    }

    /// <summary>The first report of <paramref name="type"/> received so far, or the next one to come.</summary>
    public async Task<JsonElement> ReportAsync(string type)
    {
        using var cts = new CancellationTokenSource(ReportTimeout);
        while (true)
        {
            foreach (var report in _received)
            {
                if (report.GetProperty("type").GetString() == type)
                {
                    return report;
                }
            }
            await _arrivals.WaitAsync(cts.Token);
        }
    }

    /// <summary>Every report received, once there are at least <paramref name="count"/>.</summary>
    public async Task<List<JsonElement>> ReportsAsync(int count)
    {
        using var cts = new CancellationTokenSource(ReportTimeout);
        while (_received.Count < count)
        {
            await _arrivals.WaitAsync(cts.Token);
        }
        return [.. _received];
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (!_accept(context, body))
        {
            return;
        }
        var report = JsonDocument.Parse(body).RootElement.Clone();
        _received.Enqueue(report);
        _arrivals.Release();
        await _answer(context, report);
    }
}
