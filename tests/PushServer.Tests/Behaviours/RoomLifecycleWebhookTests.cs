using Microsoft.AspNetCore.Http;

namespace PushServer.Tests.Behaviours;

/// <summary>Room lifecycle webhooks (room_occupied, room_empty) against a real local HTTP backend, with retries.</summary>
public sealed class RoomLifecycleWebhookTests : ResourceTests
{
    private int _attempts;
    private WebhookBackend _backend = null!;
    private InProcessServer _server = null!;

    public override async Task InitializeAsync()
    {
        _backend = Resources.Add(await WebhookBackend.StartAsync(AnswerAsync));
        _server = await StartInProcessAsync(new()
        {
            ["Webhooks:Url"] = _backend.Url.ToString(),
            ["Webhooks:RoomLifecycle"] = "true",
            ["Rooms:Allowed:0"] = "news",
        });
    }

    /// <summary>The backend records every attempt; the very first one fails with 503, so it must be retried.</summary>
    private Task AnswerAsync(HttpContext context, JsonElement report)
    {
        context.Response.StatusCode = Interlocked.Increment(ref _attempts) == 1 ? 503 : 200;
        return Task.CompletedTask;
    }

    private async Task<NodeClient> ConnectAsync() => (await ConnectClientAsync(new SocketIOClientConfig(_server.SocketIOUrl))).Client;

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
        var reports = await _backend.ReportsAsync(3);
        Assert.Equal(["room_occupied", "room_occupied", "room_empty"], reports.Select(r => r.GetProperty("type").GetString()));
        Assert.All(reports, r => Assert.Equal("news", r.GetProperty("room").GetString()));
        Assert.Equal(reports[0].GetRawText(), reports[1].GetRawText());
        // Nothing more: sockets' own id rooms are not reported, nor the second join or the first leave. A room the
        // test empties now arrives next, proving nothing else was queued before it.
        var third = await ConnectAsync();
        await third.EmitWithAckAsync("join", "news");
        await third.EmitWithAckAsync("leave", "news");
        var all = await _backend.ReportsAsync(5);
        Assert.Equal(5, all.Count);
        Assert.Equal(["room_occupied", "room_empty"], all.Skip(3).Select(r => r.GetProperty("type").GetString()));
    }
}
