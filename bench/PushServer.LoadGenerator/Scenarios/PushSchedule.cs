using System.Diagnostics;

namespace PushServer.LoadGenerator.Scenarios;

/// <summary>
/// Pushes on a fixed schedule, <c>perSecond</c> a second from the moment the schedule is made: push i is due i /
/// perSecond seconds after it. A push is stamped with the time it was due, not the time it went out: pushes are
/// sent one after the other and each answer is awaited, so a push API that answers late (Node's socket.io answers once
/// <c>io.emit</c> has written every frame) holds the next push back, and stamping the send time would leave that
/// backlog out of the latency (coordinated omission). <see cref="MaxLag"/> says how late the latest push went out.
/// </summary>
internal sealed class PushSchedule(double perSecond)
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public TimeSpan MaxLag { get; private set; }

    /// <summary>Waits until push <paramref name="index"/> is due; returns its due time, a <see cref="Stopwatch"/> timestamp.</summary>
    public async Task<long> WaitUntilDueAsync(int index, CancellationToken cancellation = default)
    {
        var due = _started + (long)(index / perSecond * Stopwatch.Frequency);
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellation);
        }
        var lag = Stopwatch.GetElapsedTime(due);
        if (lag > MaxLag)
        {
            MaxLag = lag;
        }
        return due;
    }
}
