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
/// <remarks>
/// The cap counts what the events really hold: each is kept as the bytes of its v5 encoding and its room names
/// (<see cref="StoredEvent"/>), counted as the managed objects they are, plus the whole array of the ring they sit in,
/// spare slots included. Kept as the packet itself, an event held its arguments and every encoding made for delivery,
/// some 20 times the encoded bytes it was counted as.
/// </remarks>
internal sealed class RecoveryLog : IDisposable
{
    private const int MinimumRingCapacity = 16;

    private readonly Dictionary<string, (PersistedSession Session, DateTimeOffset DisconnectedAt)> _sessions = new(StringComparer.Ordinal);
    private readonly EventRing<StoredEvent> _events = new();
    private readonly string _namespace;
    private readonly ConnectionStateRecoveryOptions _options;
    private readonly TimeProvider _time;
    private readonly JsonSerializerOptions _serializer;
    private readonly ITimer _sweep;
    private long _eventBytes;
    private long _nextSeq = 1;

    public RecoveryLog(string nsp, ConnectionStateRecoveryOptions options, TimeProvider time, JsonSerializerOptions serializer)
    {
        _namespace = nsp;
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

    /// <summary>Bytes counted against <see cref="ConnectionStateRecoveryOptions.MaxStoredBytes"/> for the events stored now.</summary>
    public long StoredBytes
    {
        get
        {
            lock (Gate)
            {
                return Stored;
            }
        }
    }

    /// <summary>Events stored now.</summary>
    public int StoredCount
    {
        get
        {
            lock (Gate)
            {
                return _events.Count;
            }
        }
    }

    private long Stored => _eventBytes + RingBytes(_events.Capacity);

    /// <summary>Stores an event under a fresh offset and returns it carrying that offset. Caller holds <see cref="Gate"/>.</summary>
    public BroadcastPacket Append(BroadcastPacket packet, BroadcastOptions options)
    {
        var seq = _nextSeq++;
        var stored = packet.WithOffset(seq.ToString("x", CultureInfo.InvariantCulture));
        var now = _time.GetUtcNow();
        var entry = StoredEvent.Create(seq, packet.EventName, stored.GetEncoded(SocketIOProtocolVersion.V5, _serializer), options, now);
        TrimEvents(now);
        MakeRoom(entry.Size);
        _events.Add(entry);
        _eventBytes += entry.Size;
        TrimEvents(now);
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
        TrimEvents(now);
        if (!long.TryParse(offset, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var seq) || !TryFind(seq, out var index))
        {
            return null;
        }
        _sessions.Remove(pid);
        var rooms = found.Session.Rooms;
        var missed = new List<BroadcastPacket>();
        for (var i = index + 1; i < _events.Count; i++)
        {
            ref readonly var entry = ref _events[i];
            if (entry.Selects(rooms))
            {
                missed.Add(entry.ToPacket(_namespace));
            }
        }
        return new RecoveredSession(found.Session, missed);
    }

    public void Dispose() => _sweep.Dispose();

    private static long RingBytes(int capacity) => capacity == 0 ? 0 : 24 + (long)capacity * StoredEvent.SlotSize;

    private bool TryFind(long seq, out int index)
    {
        // Offsets grow by one per stored event, so the position follows from the oldest one kept.
        if (_events.Count > 0)
        {
            var candidate = seq - _events[0].Seq;
            if (candidate >= 0 && candidate < _events.Count)
            {
                index = (int)candidate;
                return true;
            }
        }
        index = -1;
        return false;
    }

    /// <summary>
    /// Makes a slot free for an event of <paramref name="size"/> bytes: the ring doubles while that fits under the cap
    /// with the event, else the oldest event gives up its slot.
    /// </summary>
    private void MakeRoom(long size)
    {
        if (_events.Count < _events.Capacity)
        {
            return;
        }
        var doubled = Math.Max(MinimumRingCapacity, _events.Capacity * 2);
        if (_events.Count == 0 || _eventBytes + size + RingBytes(doubled) <= _options.MaxStoredBytes)
        {
            _events.Resize(doubled);
            return;
        }
        DropOldest();
    }

    private void TrimEvents(DateTimeOffset now)
    {
        var oldest = now - _options.MaxDisconnectionDuration;
        while (_events.Count > 0 && (_events[0].EmittedAt < oldest || Stored > _options.MaxStoredBytes))
        {
            DropOldest();
        }
        // Half the ring back once three quarters stand empty (a burst or a window past), so the spare slots counted
        // against the cap stay few; halving at a quarter full leaves room to grow before the next doubling.
        while (_events.Capacity > MinimumRingCapacity && _events.Count <= _events.Capacity / 4)
        {
            _events.Resize(_events.Capacity / 2);
        }
    }

    private void DropOldest()
    {
        _eventBytes -= _events[0].Size;
        _events.RemoveOldest();
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
            TrimEvents(now);
        }
    }
}
