using Microsoft.Extensions.Time.Testing;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Protocol;
using Xunit.Abstractions;

namespace PushServer.SocketIO.Tests.Adapters;

/// <summary>Runs alone: it weighs the managed heap, which tests running beside it would disturb.</summary>
[CollectionDefinition(nameof(HeapWeighing), DisableParallelization = true)]
public sealed class HeapWeighing;

/// <summary>
/// <see cref="ConnectionStateRecoveryOptions.MaxStoredBytes"/> bounds what the in-memory recovery log really holds:
/// the bytes it counts for its events are compared with the growth of the managed heap after storing them.
/// </summary>
[Collection(nameof(HeapWeighing))]
public sealed class RecoveryLogMemoryTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = SocketIOJson.CreateSerializerOptions(null);

    public static TheoryData<string> Events => ["push api json", "server string", "binary attachment"];

    /// <summary>An event as each source makes it: the push API's cloned JSON, a server-side string, bytes.</summary>
    private static object?[] ArgsOf(string kind, int i) => kind switch
    {
        "push api json" => [JsonDocument.Parse($"{{\"text\":\"hello {i}\",\"n\":{i}}}").RootElement.Clone()],
        "server string" => ["hello " + i],
        _ => ["file", new byte[256]],
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void The_bytes_counted_for_stored_events_are_the_bytes_they_hold(string kind)
    {
        const int count = 20_000;
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var log = new RecoveryLog("/", new ConnectionStateRecoveryOptions { MaxStoredBytes = long.MaxValue }, time, Json);
        // Warm-up: first-call costs (JIT, the serializer's metadata) are not what the log holds.
        Store(log, kind, 0, 10);
        var heapBefore = Heap();
        var countedBefore = log.StoredBytes;

        Store(log, kind, 10, 10 + count);

        var held = Heap() - heapBefore;
        var counted = log.StoredBytes - countedBefore;
        output.WriteLine($"{kind}: {count} events hold {held / count} B each, {counted / count} B counted");
        Assert.Equal(count + 10, log.StoredCount);
        // Counted at least what is held (the cap is never exceeded in fact) and not far above it (the cap is not
        // wasted): the count errs high only by names it cannot know are shared, such as a literal event name.
        Assert.True(counted >= held, $"{kind}: counted {counted / count} B per event, held {held / count} B");
        Assert.True(counted <= held * 4 / 3, $"{kind}: counted {counted / count} B per event, held {held / count} B");
        GC.KeepAlive(log);
    }

    [Fact]
    public void The_cap_bounds_the_memory_held()
    {
        const long cap = 4L * 1024 * 1024;
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var log = new RecoveryLog("/", new ConnectionStateRecoveryOptions { MaxStoredBytes = cap }, time, Json);
        Store(log, "push api json", 0, 10);
        var heapBefore = Heap();

        Store(log, "push api json", 10, 100_000);

        var held = Heap() - heapBefore;
        output.WriteLine($"cap {cap} B: {log.StoredCount} events kept, holding {held} B");
        Assert.True(held <= cap * 5 / 4, $"the log holds {held} B under a cap of {cap} B");
        GC.KeepAlive(log);
    }

    private static void Store(RecoveryLog log, string kind, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            // Each emit to its own room, as a push to one user does.
            var options = new BroadcastOptions { Rooms = new HashSet<string> { "uid:" + i } };
            var packet = new BroadcastPacket("/", "chat message", ArgsOf(kind, i));
            lock (log.Gate)
            {
                var stored = log.Append(packet, options);
                // Delivered to a v4 and a v5 client, as the adapter does next.
                stored.GetEncoded(SocketIOProtocolVersion.V4, Json);
                stored.GetEncoded(SocketIOProtocolVersion.V5, Json);
            }
        }
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
