using PushServer.EngineIO.Sessions;

namespace PushServer.EngineIO.Tests.Outbound;

public sealed class OutboundQueueTests
{
    [Fact]
    public void One_packet_waits_and_is_taken()
    {
        var queue = new OutboundQueue();
        var packet = EnginePacket.Text("a");

        Assert.True(queue.TryEnqueue(packet));
        Assert.False(queue.IsEmpty);
        Assert.True(queue.TryDequeue(out var taken));
        Assert.Same(packet, taken);
        Assert.True(queue.IsEmpty);
        Assert.False(queue.TryDequeue(out _));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(40)]
    public void Packets_come_out_in_the_order_they_went_in_whatever_the_backlog(int backlog)
    {
        var queue = new OutboundQueue();
        var next = 0;
        var expected = 0;
        // Several rounds, each filling to the backlog and draining half, so the single slot, the ring, its growth and
        // its wrap-around all take turns.
        for (var round = 0; round < 4; round++)
        {
            while (next - expected < backlog)
            {
                Assert.True(queue.TryEnqueue(EnginePacket.Text((next++).ToString())));
            }
            for (var i = 0; i < backlog / 2 + 1; i++)
            {
                Assert.True(queue.TryDequeue(out var packet));
                Assert.Equal((expected++).ToString(), TextOf(packet));
            }
        }
        while (queue.TryDequeue(out var packet))
        {
            Assert.Equal((expected++).ToString(), TextOf(packet));
        }
        Assert.Equal(next, expected);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void A_completed_queue_refuses_new_packets_and_still_hands_out_the_queued_ones()
    {
        var queue = new OutboundQueue();
        queue.TryEnqueue(EnginePacket.Text("1"));
        queue.TryEnqueue(EnginePacket.Text("2"));

        queue.Complete();

        Assert.True(queue.IsCompleted);
        Assert.False(queue.TryEnqueue(EnginePacket.Text("3")));
        Assert.True(queue.TryDequeue(out var first));
        Assert.True(queue.TryDequeue(out var second));
        Assert.Equal(["1", "2"], new[] { TextOf(first), TextOf(second) });
        Assert.False(queue.TryDequeue(out _));
    }

    private static string TextOf(EnginePacket packet) => System.Text.Encoding.UTF8.GetString(packet.Data.Span);
}
