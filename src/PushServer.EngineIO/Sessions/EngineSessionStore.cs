using System.Collections.Concurrent;

namespace PushServer.EngineIO.Sessions;

/// <summary>The live sessions of one Engine.IO endpoint, by id.</summary>
internal sealed class EngineSessionStore
{
    private readonly ConcurrentDictionary<string, EngineSession> _sessions = new(StringComparer.Ordinal);

    /// <param name="time">The clock of every deadline.</param>
    /// <param name="timerCoalescing">How late a deadline may fire to share a firing with others (see DeadlineScheduler).</param>
    public EngineSessionStore(TimeProvider time, TimeSpan timerCoalescing)
    {
        Deadlines = new DeadlineScheduler(time, timerCoalescing);
    }

    /// <summary>The one timer behind every session's heartbeat and every WebSocket's write deadline.</summary>
    public DeadlineScheduler Deadlines { get; }

    private long _pendingWebSocketBytes;
    private int _webSockets;

    public int Count => _sessions.Count;

    /// <summary>WebSocket connections open now, probes included.</summary>
    public int WebSocketCount => Volatile.Read(ref _webSockets);

    public int AddWebSocket() => Interlocked.Increment(ref _webSockets);

    public void RemoveWebSocket() => Interlocked.Decrement(ref _webSockets);

    /// <summary>Reserves <paramref name="bytes"/> of the shared budget for unfinished WebSocket messages.</summary>
    public bool TryReservePending(long bytes, long cap)
    {
        if (Interlocked.Add(ref _pendingWebSocketBytes, bytes) > cap)
        {
            Interlocked.Add(ref _pendingWebSocketBytes, -bytes);
            return false;
        }
        return true;
    }

    public void ReleasePending(long bytes) => Interlocked.Add(ref _pendingWebSocketBytes, -bytes);

    /// <summary>Bytes held now in unfinished WebSocket messages.</summary>
    public long PendingWebSocketBytes => Interlocked.Read(ref _pendingWebSocketBytes);

    public void Add(EngineSession session) => _sessions[session.Id] = session;

    /// <summary>
    /// The live session <paramref name="id"/>. One whose heartbeat ran out is ended here if its timer has not run yet
    /// (timers run late on a busy machine), so a request that comes after the deadline never finds it alive.
    /// </summary>
    public bool TryGet(string id, out EngineSession session) =>
        _sessions.TryGetValue(id, out session!) && !session.EndIfHeartbeatExpired();

    public void Remove(EngineSession session) => _sessions.TryRemove(new KeyValuePair<string, EngineSession>(session.Id, session));

    public IEnumerable<EngineSession> Snapshot() => _sessions.Values.ToArray();

    /// <summary>The sessions, enumerated without a copy (one may be added or removed meanwhile).</summary>
    public IEnumerable<EngineSession> Live()
    {
        foreach (var entry in _sessions)
        {
            yield return entry.Value;
        }
    }
}
