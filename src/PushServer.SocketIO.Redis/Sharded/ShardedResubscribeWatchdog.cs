namespace PushServer.SocketIO.Redis.Sharded;

/// <summary>
/// Notices a namespace whose sharded channels stay unsubscribed while Redis is reachable, and has them subscribed
/// again. StackExchange.Redis re-reads the cluster's topology as soon as the connection to a crashed master fails,
/// which is before a replica has taken over, and re-sends the subscription to the dead master; it learns of the
/// promotion only when it next asks the replicas it knew of (at growing intervals) or at its periodic check a minute
/// later, and a promotion it misses leaves the node deaf on that shard. After <c>resubscribeAfter</c> of deafness this
/// calls <c>resubscribe</c>, then again at doubling intervals, at most <see cref="MaxInterval"/> apart, for as long as
/// the deafness lasts; one call at a time. The clock is the <see cref="TimeProvider"/>, so tests move it.
/// </summary>
internal sealed class ShardedResubscribeWatchdog : IDisposable
{
    /// <summary>The longest wait between two attempts: a deaf node is unready, so it keeps trying at least this often.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(30);

    private readonly TimeSpan _after;
    private readonly TimeProvider _time;
    private readonly Func<bool> _isDeaf;
    private readonly Func<bool> _isReachable;
    private readonly Func<int, TimeSpan, Task> _resubscribe;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private DateTimeOffset? _deafSince;
    private DateTimeOffset _nextAttempt;
    private int _attempts;
    private Task _running = Task.CompletedTask;

    /// <param name="resubscribeAfter">How long the deafness lasts before the first attempt, and the first wait between two.</param>
    /// <param name="time">The clock.</param>
    /// <param name="isDeaf">Whether a wanted channel is not listened to now.</param>
    /// <param name="isReachable">Whether Redis is reachable now; while it is not, its own reconnection resubscribes.</param>
    /// <param name="resubscribe">The attempt, given its number (from 1) and how long the deafness has lasted.</param>
    public ShardedResubscribeWatchdog(
        TimeSpan resubscribeAfter, TimeProvider time, Func<bool> isDeaf, Func<bool> isReachable, Func<int, TimeSpan, Task> resubscribe)
    {
        _after = resubscribeAfter;
        _time = time;
        _isDeaf = isDeaf;
        _isReachable = isReachable;
        _resubscribe = resubscribe;
        // Looked at often enough that an attempt is at most half the delay late, and not more than once a second.
        var period = resubscribeAfter < TimeSpan.FromSeconds(2) ? resubscribeAfter / 2 : TimeSpan.FromSeconds(1);
        _timer = time.CreateTimer(_ => CheckOnTimer(), null, period, period);
    }

    /// <summary>The attempt under way, or a completed task.</summary>
    internal Task Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>
    /// How long the wait after attempt <paramref name="attempt"/> (from 1) is: the delay, doubled after each attempt up
    /// to <see cref="MaxInterval"/> (or the delay itself when that is longer).
    /// </summary>
    internal TimeSpan IntervalAfter(int attempt)
    {
        var interval = _after;
        for (var i = 1; i < attempt && interval < MaxInterval; i++)
        {
            interval = interval * 2 < MaxInterval ? interval * 2 : MaxInterval;
        }
        return interval;
    }

    /// <summary>One look, as the timer does it.</summary>
    internal void Check()
    {
        lock (_gate)
        {
            if (!_running.IsCompleted)
            {
                return;
            }
            var now = _time.GetUtcNow();
            if (!_isDeaf() || !_isReachable())
            {
                // Listened to again, or Redis is away (its reconnection resubscribes): the next deafness starts afresh.
                _deafSince = null;
                _attempts = 0;
                return;
            }
            _deafSince ??= now;
            var deafFor = now - _deafSince.Value;
            if (deafFor < _after || (_attempts > 0 && now < _nextAttempt))
            {
                return;
            }
            _attempts++;
            _nextAttempt = now + IntervalAfter(_attempts);
            var attempt = _attempts;
            _running = Task.Run(() => _resubscribe(attempt, deafFor));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    private void CheckOnTimer()
    {
        try
        {
            Check();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or ObjectDisposedException)
        {
            // Only control flow: a probe of the client's state failed while it changes (being reconfigured or disposed);
            // an exception on a timer thread would end the process, and the next look comes within a second.
        }
    }
}
