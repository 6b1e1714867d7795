using Microsoft.Extensions.Time.Testing;

namespace PushServer.EngineIO.Tests;

/// <summary>
/// A fake clock whose timers fire <see cref="Shift"/> off the time they were armed for: late like a timer on a busy
/// machine, or early like the system timer, whose coarse millisecond clock can fire a little before a high-resolution
/// timestamp says the time has come. Time moves only when the test advances <see cref="Fake"/>.
/// </summary>
public sealed class ShiftedTimerClock(FakeTimeProvider fake, TimeSpan shift) : TimeProvider
{
    public FakeTimeProvider Fake { get; } = fake;

    public TimeSpan Shift { get; } = shift;

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ShiftedTimer(Fake.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan), Shift);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ShiftedTimer(ITimer inner, TimeSpan shift) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                // An early shift never makes a timer due at once: a zero delay fires inside Change on the fake clock.
                dueTime = dueTime + shift > TimeSpan.Zero ? dueTime + shift : dueTime;
            }
            return inner.Change(dueTime, period);
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
