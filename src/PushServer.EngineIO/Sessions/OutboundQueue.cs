namespace PushServer.EngineIO.Sessions;

/// <summary>
/// A session's outbound packets: a small ring under a monitor, completed when the session closes. It replaces an
/// unbounded <c>Channel</c> per session, whose segment (32 slots) and waiter objects cost about a kilobyte on every
/// idle connection; an idle queue holds nothing but this object. One packet at a time (a heartbeat, a push the writer
/// takes at once: the usual case) waits in a field of its own; a ring is made only when a second one arrives before
/// the first is taken, and a ring that grew for a burst is dropped once drained. Waiting is the transport's business:
/// the session signals it after each enqueue.
/// </summary>
internal sealed class OutboundQueue
{
    /// <summary>Slots of a new ring: made when a second packet waits.</summary>
    private const int InitialCapacity = 4;

    /// <summary>A ring at least this large is released when it empties, so a past burst does not stay resident.</summary>
    private const int RetainedCapacity = 16;

    // A lock of its own rather than the queue's monitor, so that no code holding a reference to the queue can take
    // part in its locking. A plain object, not a Lock: it is held by every idle session, and takes 24 bytes where a
    // Lock takes 40.
    private readonly object _sync = new();
    private EnginePacket[]? _ring;
    private EnginePacket? _single; // the waiting packet while there is no ring (_count is then 0 or 1)
    private int _head;
    private int _count;
    private bool _completed;

    /// <summary>True once <see cref="Complete"/> was called: nothing more is accepted.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_sync)
            {
                return _completed;
            }
        }
    }

    /// <summary>True when no packet waits.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_sync)
            {
                return _count == 0;
            }
        }
    }

    /// <summary>Appends <paramref name="packet"/>; false once the queue is completed.</summary>
    public bool TryEnqueue(EnginePacket packet)
    {
        lock (_sync)
        {
            if (_completed)
            {
                return false;
            }
            if (_ring is null)
            {
                if (_count == 0)
                {
                    _single = packet;
                    _count = 1;
                    return true;
                }
                _ring = new EnginePacket[InitialCapacity];
                _ring[0] = _single!;
                _single = null;
                _head = 0;
            }
            else if (_count == _ring.Length)
            {
                Grow();
            }
            _ring[(_head + _count) % _ring.Length] = packet;
            _count++;
            return true;
        }
    }

    /// <summary>Takes the oldest packet, also after completion (what was queued before the close is still delivered).</summary>
    public bool TryDequeue(out EnginePacket packet)
    {
        lock (_sync)
        {
            if (_count == 0)
            {
                packet = null!;
                return false;
            }
            if (_ring is not { } ring)
            {
                packet = _single!;
                _single = null;
                _count = 0;
                return true;
            }
            packet = ring[_head];
            ring[_head] = null!;
            _head = (_head + 1) % ring.Length;
            _count--;
            if (_count == 0)
            {
                _head = 0;
                if (ring.Length >= RetainedCapacity)
                {
                    _ring = null;
                }
            }
            return true;
        }
    }

    /// <summary>Accepts nothing more; queued packets can still be taken.</summary>
    public void Complete()
    {
        lock (_sync)
        {
            _completed = true;
        }
    }

    private void Grow()
    {
        var ring = _ring!;
        var larger = new EnginePacket[ring.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            larger[i] = ring[(_head + i) % ring.Length];
        }
        _ring = larger;
        _head = 0;
    }
}
