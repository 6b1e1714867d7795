using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PushServer.Tests.Infrastructure;

namespace PushServer.Tests.Behaviours;

/// <summary>Room lifecycle webhooks (room_occupied, room_empty) against a real local HTTP backend, with retries.</summary>
public sealed class RoomLifecycleWebhookTests : IAsyncLifetime
{
    private readonly TestResources _resources = new();
    private readonly ConcurrentQueue<JsonElement> _received = new();
    private readonly SemaphoreSlim _arrivals = new(0);
    private int _attempts;
    private KestrelTestServer _backend = null!;
    private InProcessServer _server = null!;

    public async Task InitializeAsync()
    {
        _backend = await KestrelTestServer.StartAsync(null, app => app.MapPost("/hook", HandleAsync));
        _resources.Add(_backend);
        _server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["Webhooks:Url"] = new Uri(_backend.BaseAddress, "hook").ToString(),
            ["Webhooks:RoomLifecycle"] = "true",
            ["Rooms:Allowed:0"] = "news",
        });
        _resources.AddDisposedLast(_server);
    }

    public async Task DisposeAsync()
    {
        await _resources.DisposeAsync();
    }

    /// <summary>The backend: records every attempt; the very first one fails with 503, so it must be retried.</summary>
    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var json = JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
        _received.Enqueue(json);
        _arrivals.Release();
        context.Response.StatusCode = Interlocked.Increment(ref _attempts) == 1 ? 503 : 200;
    }

    private async Task<List<JsonElement>> WaitForReportsAsync(int count)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (_received.Count < count)
        {
            await _arrivals.WaitAsync(cts.Token);
        }
        return [.. _received];
    }

    private async Task<NodeClient> ConnectAsync()
    {
        var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig($"http://127.0.0.1:{_server.SocketIOPort}"));
        _resources.Add(client);
        await client.WaitForEventAsync("connect");
        return client;
    }

    [Fact]
    public async Task A_room_is_reported_occupied_at_its_first_socket_and_empty_after_its_last_with_a_failed_attempt_retried()
    {
        var first = await ConnectAsync();
        var second = await ConnectAsync();

        await first.EmitWithAckAsync("join", "news");
        await second.EmitWithAckAsync("join", "news");
        await first.EmitWithAckAsync("leave", "news");
        await second.DisconnectAsync();

        // The first attempt (room_occupied) got 503 and was sent again: three attempts, two reports.
        var reports = await WaitForReportsAsync(3);
        Assert.Equal(["room_occupied", "room_occupied", "room_empty"], reports.Select(r => r.GetProperty("type").GetString()));
        Assert.All(reports, r => Assert.Equal("news", r.GetProperty("room").GetString()));
        Assert.Equal(reports[0].GetRawText(), reports[1].GetRawText());
        // Nothing more: sockets' own id rooms are not reported, nor the second join or the first leave. A room the
        // test empties now arrives next, proving nothing else was queued before it.
        var third = await ConnectAsync();
        await third.EmitWithAckAsync("join", "news");
        await third.EmitWithAckAsync("leave", "news");
        var all = await WaitForReportsAsync(5);
        Assert.Equal(5, all.Count);
        Assert.Equal(["room_occupied", "room_empty"], all.Skip(3).Select(r => r.GetProperty("type").GetString()));
    }
}
