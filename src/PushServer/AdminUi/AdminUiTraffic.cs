using System.Collections.Concurrent;

namespace PushServer.AdminUi;

/// <summary>
/// What the dashboard's charts draw: this node's Engine.IO connections, disconnections (by reason), packets and bytes
/// in and out since the last <c>server_stats</c>, sent as its <c>aggregatedEvents</c> (instrument()'s EventBuffer).
/// instrument() keeps one bucket per second; here one bucket per stats period, stamped with the second it is sent,
/// which the UI's per-minute charts cannot tell apart. Counting is a few interlocked adds, so the packet path stays
/// lock-free. It also passes on the connections' upgrades from polling to WebSocket, which development mode's live
/// feed reports (<see cref="Upgraded"/>).
/// </summary>
internal sealed class AdminUiTraffic
{
    private readonly ConcurrentDictionary<string, long> _disconnections = new(StringComparer.Ordinal);
    private long _connections;
    private long _packetsIn;
    private long _bytesIn;
    private long _packetsOut;
    private long _bytesOut;

    /// <summary>An Engine.IO connection (by its id) moved from polling to WebSocket.</summary>
    public event Action<string>? Upgraded;

    public void Connected() => Interlocked.Increment(ref _connections);

    public void OnUpgraded(string connectionId) => Upgraded?.Invoke(connectionId);

    public void Disconnected(string reason) => _disconnections.AddOrUpdate(reason, 1, static (_, n) => n + 1);

    public void Received(int bytes)
    {
        Interlocked.Increment(ref _packetsIn);
        Interlocked.Add(ref _bytesIn, bytes);
    }

    public void Sent(int bytes)
    {
        Interlocked.Increment(ref _packetsOut);
        Interlocked.Add(ref _bytesOut, bytes);
    }

    /// <summary>The counts since the last call, as instrument()'s <c>{timestamp, type, subType?, count}</c> entries; zero counts are left out.</summary>
    public List<object> TakeAggregatedEvents(DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeMilliseconds() / 1000 * 1000;
        var events = new List<object>();
        Add(events, timestamp, "rawConnection", Interlocked.Exchange(ref _connections, 0));
        Add(events, timestamp, "packetsIn", Interlocked.Exchange(ref _packetsIn, 0));
        Add(events, timestamp, "bytesIn", Interlocked.Exchange(ref _bytesIn, 0));
        Add(events, timestamp, "packetsOut", Interlocked.Exchange(ref _packetsOut, 0));
        Add(events, timestamp, "bytesOut", Interlocked.Exchange(ref _bytesOut, 0));
        foreach (var reason in _disconnections.Keys)
        {
            if (_disconnections.TryRemove(reason, out var count) && count > 0)
            {
                events.Add(new { timestamp, type = "rawDisconnection", subType = reason, count });
            }
        }
        return events;
    }

    private static void Add(List<object> events, long timestamp, string type, long count)
    {
        if (count > 0)
        {
            events.Add(new { timestamp, type, count });
        }
    }
}
