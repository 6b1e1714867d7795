using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PushServer.Tests.Infrastructure;

namespace PushServer.Tests.Behaviours;

/// <summary>Webhooks against a real local HTTP backend started by the test.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private const string Secret = "webhook-signing-secret";
    private readonly TestResources _resources = new();
    private readonly ConcurrentQueue<JsonElement> _received = new();
    private readonly SemaphoreSlim _arrivals = new(0);
    private KestrelTestServer _backend = null!;
    private InProcessServer _server = null!;

    public async Task InitializeAsync()
    {
        _backend = await KestrelTestServer.StartAsync(null, app => app.MapPost("/hook", HandleAsync));
        _resources.Add(_backend);
        _server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["Webhooks:Url"] = new Uri(_backend.BaseAddress, "hook").ToString(),
            ["Webhooks:Events:0"] = "order",
            ["Webhooks:Secret"] = Secret,
            ["Webhooks:Lifecycle"] = "true",
            ["Webhooks:TimeoutMs"] = "3000",
        });
        _resources.AddDisposedLast(_server);
    }

    /// <summary>The backend: checks the signature, records the body, answers an order with a receipt and fails "crash".</summary>
    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));
        if (context.Request.Headers["X-PushServer-Signature"] != expected)
        {
            context.Response.StatusCode = 401;
            return;
        }
        var json = JsonDocument.Parse(body).RootElement.Clone();
        _received.Enqueue(json);
        _arrivals.Release();
        if (json.GetProperty("type").GetString() == "event")
        {
            if (json.GetProperty("args")[0].GetString() == "crash")
            {
                context.Response.StatusCode = 500;
                return;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"receipt":"r-{{json.GetProperty("args")[0].GetString()}}"}""");
        }
    }

    public async Task DisposeAsync()
    {
        await _resources.DisposeAsync();
    }

    private async Task<JsonElement> NextReportAsync(string type)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
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

    private async Task<NodeClient> ConnectAsync()
    {
        var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig($"http://127.0.0.1:{_server.SocketIOPort}") { Version = 4 });
        _resources.Add(client);
        await client.WaitForEventAsync("connect");
        return client;
    }

    [Fact]
    public async Task A_forwarded_event_is_acked_with_the_backends_answer()
    {
        var client = await ConnectAsync();

        var ack = await client.EmitWithAckAsync("order", "pizza");

        Assert.Equal("r-pizza", ack[0].GetProperty("receipt").GetString());
        var report = await NextReportAsync("event");
        Assert.Equal("order", report.GetProperty("event").GetString());
        Assert.Equal("pizza", report.GetProperty("args")[0].GetString());
    }

    [Fact]
    public async Task A_failing_backend_gets_the_client_an_error_ack()
    {
        var client = await ConnectAsync();

        var ack = await client.EmitWithAckAsync("order", "crash");

        Assert.Equal("webhook_failed", ack[0].GetProperty("error").GetString());
    }

    [Fact]
    public async Task Connects_and_disconnects_are_reported_signed()
    {
        var client = await ConnectAsync();
        var id = client.Events.First(e => e.GetProperty("event").GetString() == "connect").GetProperty("id").GetString();

        Assert.Equal(id, (await NextReportAsync("connect")).GetProperty("socketId").GetString());
        await client.DisconnectAsync();
        var disconnect = await NextReportAsync("disconnect");
        Assert.Equal(id, disconnect.GetProperty("socketId").GetString());
        Assert.Equal("client namespace disconnect", disconnect.GetProperty("reason").GetString());
    }
}
