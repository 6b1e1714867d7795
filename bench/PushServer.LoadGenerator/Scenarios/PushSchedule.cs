namespace PushServer.LoadGenerator.Scenarios;

/// <summary>
/// Pushes on a fixed schedule, <c>perSecond</c> a second from the moment the schedule is made: push i is due i /
/// perSecond seconds after it. A push is stamped with the time it was due, not the time it went out: pushes are
/// sent one after the other and each answer is awaited, so a push API that answers late (Node's socket.io answers once
/// <c>io.emit</c> has handed every frame to its socket) holds the next push back, and stamping the send time would
/// leave that backlog out of the latency (coordinated omission). <see cref="MaxLag"/> says how late the latest push
/// went out.
/// </summary>
internal sealed class PushSchedule
{
    private readonly double _perSecond;
    private readonly TimeProvider _time;
    private readonly long _started;

    /// <param name="perSecond">Pushes a second.</param>
    /// <param name="time">The clock; its timestamps are the ones receipts are timed against (the system clock's are
    /// <see cref="System.Diagnostics.Stopwatch"/> timestamps).</param>
    public PushSchedule(double perSecond, TimeProvider? time = null)
    {
        _perSecond = perSecond;
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
    }

    public TimeSpan MaxLag { get; private set; }

    /// <summary>Waits until push <paramref name="index"/> is due; returns its due time, a timestamp of the clock.</summary>
    public async Task<long> WaitUntilDueAsync(int index, CancellationToken cancellation = default)
    {
        var due = _started + (long)(index / _perSecond * _time.TimestampFrequency);
        var wait = _time.GetElapsedTime(_time.GetTimestamp(), due);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellation);
        }
        var lag = _time.GetElapsedTime(due);
        if (lag > MaxLag)
        {
            MaxLag = lag;
        }
        return due;
    }
}
