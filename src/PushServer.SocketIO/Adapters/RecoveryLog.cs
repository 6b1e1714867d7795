using System.Globalization;
using System.Text.Json;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO.Adapters;

/// <summary>
/// The in-memory store behind connection state recovery (socket.io-adapter's <c>SessionAwareAdapter</c>): disconnected
/// sessions by private id, and the events sent since, each under an offset. Both expire after the disconnection window;
/// the events are also capped in bytes, oldest dropped first. Callers hold <see cref="Gate"/> around
/// <see cref="Append"/> and <see cref="TryRestore"/> so that an event is either among a session's missed events or
/// delivered live to the restored socket, never both nor neither.
/// </summary>
internal sealed class RecoveryLog : IDisposable
{
    private readonly Dictionary<string, (PersistedSession Session, DateTimeOffset DisconnectedAt)> _sessions = new(StringComparer.Ordinal);
    private readonly List<Entry> _packets = [];
    private readonly ConnectionStateRecoveryOptions _options;
    private readonly TimeProvider _time;
    private readonly JsonSerializerOptions _serializer;
    private readonly ITimer _sweep;
    private int _head;
    private long _bytes;
    private long _nextSeq = 1;

    public RecoveryLog(ConnectionStateRecoveryOptions options, TimeProvider time, JsonSerializerOptions serializer)
    {
        _options = options;
        _time = time;
        _serializer = serializer;
        // socket.io sweeps every 60 s; a shorter window is swept as often as it lasts.
        var period = options.MaxDisconnectionDuration < SweepPeriod ? options.MaxDisconnectionDuration : SweepPeriod;
        _sweep = time.CreateTimer(static s => ((RecoveryLog)s!).Sweep(), this, period, period);
    }

    private static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(60);

    /// <summary>Held across storing an event and delivering it, and across restoring a session and attaching its socket.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Sessions waiting to be recovered.</summary>
    public int SessionCount
    {
        get
        {
            lock (Gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Stores an event under a fresh offset and returns it carrying that offset. Caller holds <see cref="Gate"/>.</summary>
    public BroadcastPacket Append(BroadcastPacket packet, BroadcastOptions options)
    {
        var seq = _nextSeq++;
        var stored = packet.WithOffset(seq.ToString("x", CultureInfo.InvariantCulture));
        var encoded = stored.GetEncoded(SocketIOProtocolVersion.V5, _serializer);
        long size = encoded.Text.Size;
        foreach (var attachment in encoded.Attachments)
        {
            size += attachment.Size;
        }
        var now = _time.GetUtcNow();
        _packets.Add(new Entry(seq, stored, options, size, now));
        _bytes += size;
        TrimPackets(now);
        return stored;
    }

    /// <summary>Keeps a disconnected session for the window.</summary>
    public void Persist(PersistedSession session)
    {
        lock (Gate)
        {
            _sessions[session.Pid] = (session, _time.GetUtcNow());
        }
    }

    /// <summary>
    /// Finds the session <paramref name="pid"/> and the events after <paramref name="offset"/> its rooms select, and
    /// forgets the session so it is recovered at most once. Null when the session expired or is unknown, or the
    /// offset is no longer stored. Caller holds <see cref="Gate"/>.
    /// </summary>
    public RecoveredSession? TryRestore(string pid, string offset)
    {
        if (!_sessions.TryGetValue(pid, out var found))
        {
            return null;
        }
        var now = _time.GetUtcNow();
        if (found.DisconnectedAt + _options.MaxDisconnectionDuration < now)
        {
            _sessions.Remove(pid);
            return null;
        }
        TrimPackets(now);
        if (!long.TryParse(offset, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var seq) || !TryFind(seq, out var index))
        {
            return null;
        }
        _sessions.Remove(pid);
        var rooms = found.Session.Rooms;
        var missed = new List<BroadcastPacket>();
        for (var i = index + 1; i < _packets.Count; i++)
        {
            if (Selects(_packets[i].Options, rooms))
            {
                missed.Add(_packets[i].Packet);
            }
        }
        return new RecoveredSession(found.Session, missed);
    }

    public void Dispose() => _sweep.Dispose();

    /// <summary>socket.io-adapter's <c>shouldIncludePacket</c>: in one of the target rooms (or all), in none of the excluded.</summary>
    private static bool Selects(BroadcastOptions options, IReadOnlyList<string> rooms)
    {
        var included = options.Rooms.Count == 0;
        foreach (var room in rooms)
        {
            if (options.Except.Contains(room))
            {
                return false;
            }
            included |= options.Rooms.Contains(room);
        }
        return included;
    }

    private bool TryFind(long seq, out int index)
    {
        // Sequence numbers grow by one per stored event, so the position follows from the first one kept.
        if (_head < _packets.Count)
        {
            var candidate = _head + (seq - _packets[_head].Seq);
            if (candidate >= _head && candidate < _packets.Count && _packets[(int)candidate].Seq == seq)
            {
                index = (int)candidate;
                return true;
            }
        }
        index = -1;
        return false;
    }

    private void TrimPackets(DateTimeOffset now)
    {
        var oldest = now - _options.MaxDisconnectionDuration;
        while (_head < _packets.Count && (_packets[_head].EmittedAt < oldest || _bytes > _options.MaxStoredBytes))
        {
            _bytes -= _packets[_head].Size;
            _packets[_head] = default;
            _head++;
        }
        // Compact once the dropped prefix is most of the list, so trimming stays amortised O(1).
        if (_head > 1024 && _head * 2 > _packets.Count)
        {
            _packets.RemoveRange(0, _head);
            _head = 0;
        }
    }

    private void Sweep()
    {
        lock (Gate)
        {
            var now = _time.GetUtcNow();
            List<string>? expired = null;
            foreach (var (pid, entry) in _sessions)
            {
                if (entry.DisconnectedAt + _options.MaxDisconnectionDuration < now)
                {
                    (expired ??= []).Add(pid);
                }
            }
            if (expired is not null)
            {
                foreach (var pid in expired)
                {
                    _sessions.Remove(pid);
                }
            }
            TrimPackets(now);
        }
    }

    private readonly record struct Entry(long Seq, BroadcastPacket Packet, BroadcastOptions Options, long Size, DateTimeOffset EmittedAt);
}
