using Xunit.Abstractions;

namespace PushServer.SocketIO.Tests.Performance;

/// <summary>
/// The broadcast hot path encodes once and queues the same packet on every recipient: what it allocates must not
/// grow with the number of recipients. Counted on the calling thread, where the in-memory adapter delivers.
/// </summary>
public class BroadcastAllocationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_broadcast_allocates_the_same_for_500_recipients_as_for_50()
    {
        var server = new TestServer();
        var sessions = new List<FakeEngineSession>();
        await ConnectAsync(server, sessions, 50);
        var few = MeasureBroadcast(server, sessions);
        await ConnectAsync(server, sessions, 450);
        var many = MeasureBroadcast(server, sessions);

        output.WriteLine($"bytes allocated by one broadcast: {few} for 50 recipients, {many} for 500");
        Assert.All(sessions, s => Assert.Equal("2[\"chat message\",\"hello\"]", Assert.Single(s.Texts)));
        // A few bytes of slack for a pooled buffer growing once; one pointer per extra recipient would be 3,600.
        Assert.True(many - few < 450, $"a broadcast to 500 allocated {many} bytes, to 50 {few}: it allocates per recipient");
    }

    private static async Task ConnectAsync(TestServer server, List<FakeEngineSession> sessions, int count)
    {
        for (var i = 0; i < count; i++)
        {
            sessions.Add((await server.ConnectAsync()).Session);
        }
    }

    private static long MeasureBroadcast(TestServer server, List<FakeEngineSession> sessions)
    {
        // Twice before measuring: first-call costs (JIT, caches, list capacity in the fake sessions) are not the hot path.
        for (var i = 0; i < 2; i++)
        {
            server.Io.Emit("chat message", "hello");
            sessions.ForEach(s => s.ClearSent());
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        server.Io.Emit("chat message", "hello");
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
