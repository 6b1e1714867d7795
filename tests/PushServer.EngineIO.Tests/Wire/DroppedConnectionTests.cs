namespace PushServer.EngineIO.Tests.Wire;

public class DroppedConnectionTests
{
    [Fact]
    public async Task A_poll_dropped_by_the_client_closes_the_session_with_transport_error()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        using var cts = new CancellationTokenSource();
        var poll = host.Http.GetAsync($"engine.io/?EIO=4&transport=polling&sid={sid}", cts.Token);
        await PollingTests.WaitUntilPollIsHeld(host, sid);

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);
        Assert.Equal(EngineCloseReason.TransportError, (await host.Handler.WaitForAsync<Closed>(c => c.Session.Id == sid)).Reason);
        Assert.Equal(0, host.Engine.SessionCount);
    }

    [Fact]
    public async Task A_websocket_reset_by_the_client_closes_the_session_once()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (ws, session) = await host.OpenWebSocketAsync();
        var sid = session.Id;

        ws.Abort();
        ws.Dispose();

        var closed = await host.Handler.WaitForAsync<Closed>(c => c.Session.Id == sid);
        Assert.True(closed.Reason is EngineCloseReason.TransportError or EngineCloseReason.TransportClose);
        Assert.Equal(1, host.Handler.CloseCounts[sid]);
        Assert.Equal(0, host.Engine.SessionCount);
    }
}
