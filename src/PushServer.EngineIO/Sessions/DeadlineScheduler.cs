namespace PushServer.EngineIO.Sessions;

/// <summary>
/// One timer for every session's heartbeat and every WebSocket's write deadline, instead of a timer object (and its
/// queue entry) per session. Deadlines sit in a priority queue ordered by due time; the single <see cref="ITimer"/>
/// from the <see cref="TimeProvider"/> is armed for the earliest. Each owner has one slot: moving a deadline later
/// (every pong moves the heartbeat) only records the new time, and the entry already queued re-queues itself when it
/// comes due, so the queue holds at most about one entry per owner.
/// </summary>
/// <remarks>
/// Deadlines fire at their time, or up to <c>minimumGap</c> after it: the timer is never armed sooner than that after
/// its last firing, so deadlines that fall close together (the heartbeats of clients that connected over a few
/// seconds) are handled in one firing. Each firing wakes the timer's thread and a pool thread; one per heartbeat cost
/// an idle server some 200 µs of CPU per client and heartbeat. The gap is <see cref="EngineIOOptions.TimerCoalescing"/>
/// (20 ms); with a gap of zero deadlines fire exactly at their time. An owner hears the time its deadline was due, not
/// only that it passed, so a deadline it derives from it (the ping timeout after a ping) does not add this firing's
/// lateness to its own.
/// </remarks>
internal sealed class DeadlineScheduler
{
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly PriorityQueue<IDeadlineOwner, long> _queue = new();
    private readonly long _minimumGap;
    private long _timerDue = long.MaxValue;
    private long _lastFired = long.MinValue / 2;

    public DeadlineScheduler(TimeProvider time, TimeSpan minimumGap = default)
    {
        _time = time;
        _minimumGap = ToTimestampUnits(minimumGap);
        _timer = time.CreateTimer(static s => ((DeadlineScheduler)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Deadlines waiting now, stale ones included.</summary>
    public int Pending
    {
        get
        {
            lock (_queue)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>The scheduler's clock now, a timestamp of its <see cref="TimeProvider"/>, for <see cref="SetAt"/>.</summary>
    public long Now => _time.GetTimestamp();

    /// <summary>Sets <paramref name="owner"/>'s deadline to <paramref name="delay"/> from now, replacing any earlier one.</summary>
    public void Set(IDeadlineOwner owner, TimeSpan delay) => SetAt(owner, _time.GetTimestamp(), delay);

    /// <summary>
    /// Sets <paramref name="owner"/>'s deadline to <paramref name="delay"/> after <paramref name="start"/> (a
    /// <see cref="Now"/> taken earlier), replacing any earlier one. A deadline already past fires at once.
    /// </summary>
    public void SetAt(IDeadlineOwner owner, long start, TimeSpan delay)
    {
        var now = _time.GetTimestamp();
        var due = start + ToTimestampUnits(delay);
        lock (_queue)
        {
            ref var slot = ref owner.Deadline;
            slot.Due = due;
            if (slot.Queued == 0 || due < slot.Queued)
            {
                _queue.Enqueue(owner, due);
                slot.Queued = due;
            }
            if (due < _timerDue)
            {
                Arm(due, now);
            }
        }
    }

    /// <summary>
    /// When <paramref name="owner"/>'s deadline passed already but the timer has not handled it yet: its due time.
    /// </summary>
    /// <remarks>
    /// Read without the scheduler's lock: it runs for every request a session gets, and one 64-bit read is atomic; a
    /// deadline moved at the same moment is seen before or after the move, either of which is a true answer.
    /// </remarks>
    public bool TryGetOverdue(IDeadlineOwner owner, out long due)
    {
        due = Volatile.Read(ref owner.Deadline.Due);
        return due != 0 && due <= _time.GetTimestamp();
    }

    /// <summary>Cancels <paramref name="owner"/>'s deadline; its queued entry is dropped when it comes up.</summary>
    public void Clear(IDeadlineOwner owner)
    {
        lock (_queue)
        {
            owner.Deadline.Due = 0;
        }
    }

    private void OnTimer()
    {
        List<(IDeadlineOwner Owner, long Due)>? due = null;
        lock (_queue)
        {
            var now = _time.GetTimestamp();
            _timerDue = long.MaxValue;
            var handled = false;
            while (_queue.TryPeek(out var owner, out var at) && at <= now)
            {
                _queue.Dequeue();
                handled = true;
                ref var slot = ref owner.Deadline;
                if (slot.Queued != at)
                {
                    // An earlier entry for this owner was queued after this one and has already dealt with it.
                    continue;
                }
                slot.Queued = 0;
                if (slot.Due == 0)
                {
                    continue;
                }
                if (slot.Due > now)
                {
                    // Moved later since it was queued: wait again.
                    _queue.Enqueue(owner, slot.Due);
                    slot.Queued = slot.Due;
                    continue;
                }
                (due ??= []).Add((owner, slot.Due));
                slot.Due = 0;
            }
            if (handled)
            {
                // Only a firing that found an entry due counts for the gap. The system timer counts on a coarse
                // millisecond clock and may fire a little before the timestamp reaches the due time; holding the deadline
                // it came for back by the whole gap would make it late by that much.
                _lastFired = now;
            }
            if (_queue.TryPeek(out _, out var next))
            {
                Arm(next, now);
            }
        }
        if (due is null)
        {
            return;
        }
        // Outside the lock: an owner's callback may set its next deadline.
        foreach (var (owner, at) in due)
        {
            owner.OnDeadline(at);
        }
    }

    private void Arm(long due, long now)
    {
        // Not sooner than the gap after the last firing; an earlier due time is taken along when the timer fires.
        due = Math.Max(due, _lastFired + _minimumGap);
        if (due >= _timerDue)
        {
            return;
        }
        _timerDue = due;
        _timer.Change(ToTimeSpanRoundedUp(Math.Max(due - now, 0)), Timeout.InfiniteTimeSpan);
    }

    private long ToTimestampUnits(TimeSpan delay)
    {
        var frequency = _time.TimestampFrequency;
        var ticks = Math.Max(delay.Ticks, 0);
        return ticks / TimeSpan.TicksPerSecond * frequency + ticks % TimeSpan.TicksPerSecond * frequency / TimeSpan.TicksPerSecond;
    }

    /// <summary>
    /// Rounded up to whole milliseconds, which is what the system timer counts in (it drops a fraction): armed for less
    /// than the time left, it would fire before the deadline and come back at once, over and over.
    /// </summary>
    private TimeSpan ToTimeSpanRoundedUp(long units)
    {
        var frequency = _time.TimestampFrequency;
        var ticks = units / frequency * TimeSpan.TicksPerSecond + (units % frequency * TimeSpan.TicksPerSecond + frequency - 1) / frequency;
        var milliseconds = (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        return TimeSpan.FromMilliseconds(milliseconds);
    }
}

/// <summary>Something with one deadline on a <see cref="DeadlineScheduler"/>.</summary>
internal interface IDeadlineOwner
{
    /// <summary>The owner's slot, read and written by the scheduler under its lock.</summary>
    ref DeadlineSlot Deadline { get; }

    /// <summary>
    /// The deadline passed; called on the scheduler's timer, outside its lock. <paramref name="due"/> is the time it was
    /// due (a timestamp of the scheduler's clock), which may be a little before now.
    /// </summary>
    void OnDeadline(long due);
}

/// <summary>An owner's deadline state, as timestamps of the scheduler's <see cref="TimeProvider"/>; 0 means none.</summary>
internal struct DeadlineSlot
{
    /// <summary>When the deadline is due, or 0 when it is cleared.</summary>
    internal long Due;

    /// <summary>The due time of the owner's entry in the queue, or 0 when it has none.</summary>
    internal long Queued;
}
