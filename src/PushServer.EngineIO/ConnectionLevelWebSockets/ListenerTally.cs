namespace PushServer.EngineIO.ConnectionLevelWebSockets;

/// <summary>
/// Counts events of one kind at a listener (connections refused, accepts failed) so that a flood of them is logged now
/// and then with how many there were, never once each: a log line per connection would cost more than the
/// connection, and at a descriptor limit every write to a log sink is one more chance to fail.
/// </summary>
internal struct ListenerTally
{
    /// <summary>At most one log line per kind this often.</summary>
    public const long IntervalMilliseconds = 10_000;

    private long _count;
    private long _lastLogged; // Environment.TickCount64 of the last line; 0 before the first

    /// <summary>
    /// Counts one event at <paramref name="nowMilliseconds"/> (<see cref="Environment.TickCount64"/>). Returns how
    /// many to report, and starts counting again, when the first event or the last report is
    /// <see cref="IntervalMilliseconds"/> ago; otherwise null.
    /// </summary>
    public long? Add(long nowMilliseconds)
    {
        Interlocked.Increment(ref _count);
        var last = Interlocked.Read(ref _lastLogged);
        if ((last != 0 && nowMilliseconds - last < IntervalMilliseconds)
            || Interlocked.CompareExchange(ref _lastLogged, nowMilliseconds, last) != last)
        {
            return null;
        }
        return Interlocked.Exchange(ref _count, 0);
    }
}
