using Microsoft.Extensions.Logging;

namespace PushServer.AdversarialTests;

/// <summary>
/// A real WebSocket client over raw TCP with a 4 KiB receive buffer that stops reading. The server keeps sending to
/// it without ever waiting; once the kernel's buffers are full its outbound queue grows, volatile packets are dropped
/// for it, and past the cap (or one write stuck past the timeout) it is disconnected with the reason and a count, its
/// queue freed, while a well-behaved client is served throughout.
/// </summary>
public sealed class SlowConsumerTests
{
    private static readonly string Chunk = new('x', 16 * 1024);

    private static async Task<(RawWebSocket Raw, string SocketId)> JoinSlowAsync(AdversarialServer server)
    {
        var raw = await RawWebSocket.ConnectAsync(server.EndPoint, "EIO=4&transport=websocket", receiveBufferSize: 4096);
        Assert.StartsWith("0{", await raw.ReadTextAsync());
        await raw.SendTextAsync("40");
        var connect = await raw.ReadTextAsync();
        Assert.StartsWith("40{", connect);
        return (raw, System.Text.Json.JsonDocument.Parse(connect![2..]).RootElement.GetProperty("sid").GetString()!);
    }

    [Fact]
    public async Task A_client_that_stops_reading_loses_volatile_packets_first_then_is_disconnected_at_the_queue_cap()
    {
        await using var server = await AdversarialServer.StartAsync(o =>
        {
            o.MaxOutboundQueueBytes = 256 * 1024;
            o.WebSocketSendTimeout = TimeSpan.FromMinutes(10);
        });
        var before = MetricCounters.Get(MetricCounters.SlowConsumer, "outbound queue full");
        var (healthy, _) = await server.ConnectWebSocketAsync();
        var (slow, slowId) = await JoinSlowAsync(server);

        // The broadcaster never waits: every emit returns at once, however full the slow client is. Fill the kernel's
        // buffers until packets stay queued on the server.
        var emitted = 0;
        while (server.Engine.OutboundQueueBytes == 0)
        {
            server.Io.To(slowId).Emit("big", Chunk);
            Assert.True(++emitted < 4096, "the queue never grew: the client is still being written to");
        }

        // Volatile packets for a client with anything queued are dropped, not queued.
        var queued = server.Engine.OutboundQueueBytes;
        for (var i = 0; i < 50; i++)
        {
            server.Io.To(slowId).Volatile.Emit("big", Chunk);
        }
        Assert.True(server.Engine.OutboundQueueBytes <= queued, $"volatile packets were queued: {server.Engine.OutboundQueueBytes} > {queued}");
        Assert.Empty(server.DisconnectReasons);

        // Plain packets past the cap disconnect it.
        for (var i = 0; i < 100 && server.DisconnectReasons.IsEmpty; i++)
        {
            server.Io.To(slowId).Emit("big", Chunk);
        }
        await server.WaitForDisconnectAsync("outbound queue full");
        Assert.Equal(["outbound queue full"], server.DisconnectReasons);
        Assert.Equal(before + 1, MetricCounters.Get(MetricCounters.SlowConsumer, "outbound queue full"));
        Assert.Contains(server.Log, e => e.Level == LogLevel.Information && e.Message.Contains("outbound queue passed", StringComparison.Ordinal));
        // Its queue is released at once: memory stays bounded by the cap.
        await Eventually.TrueAsync(() => server.Engine.OutboundQueueBytes == 0, () => $"{server.Engine.OutboundQueueBytes} bytes still queued");

        // The other client was served throughout.
        await Frames.SendTextAsync(healthy, "421[\"echo\",\"fine\"]");
        Assert.Equal("431[\"fine\"]", await Frames.ReceiveUntilAsync(healthy, f => f.StartsWith("43", StringComparison.Ordinal)));
        await healthy.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, AdversarialServer.Timeout());
        // The slow client finds its connection dropped once it reads again.
        Assert.Null(await slow.ReadUntilClosedAsync());
        slow.Dispose();
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_disconnected_when_one_write_is_stuck_past_the_timeout()
    {
        await using var server = await AdversarialServer.StartAsync(o =>
        {
            o.MaxOutboundQueueBytes = 256L * 1024 * 1024;
            o.WebSocketSendTimeout = TimeSpan.FromSeconds(1);
        });
        var before = MetricCounters.Get(MetricCounters.SlowConsumer, "write timeout");
        var (slow, slowId) = await JoinSlowAsync(server);

        // More than the kernel buffers on both sides hold: some write cannot finish while the client does not read.
        for (var i = 0; i < 1024 && server.DisconnectReasons.IsEmpty; i++)
        {
            server.Io.To(slowId).Emit("big", Chunk);
        }
        await server.WaitForDisconnectAsync("write timeout");
        Assert.Equal(before + 1, MetricCounters.Get(MetricCounters.SlowConsumer, "write timeout"));
        Assert.Contains(server.Log, e => e.Level == LogLevel.Information && e.Message.Contains("WebSocket write took longer", StringComparison.Ordinal));
        await Eventually.TrueAsync(() => server.Engine.OutboundQueueBytes == 0, () => $"{server.Engine.OutboundQueueBytes} bytes still queued");
        Assert.Null(await slow.ReadUntilClosedAsync());
        slow.Dispose();
        await server.AssertHealthyAsync();
    }
}
