using Microsoft.Extensions.Time.Testing;
using PushServer.LoadGenerator.Scenarios;

namespace PushServer.LoadGenerator.Tests;

/// <summary>
/// A sustained run's pushes carry the time they were due, so that a push API which answers late (and so holds the
/// next push back) shows as latency rather than as a generator that quietly slowed down.
/// </summary>
public sealed class PushScheduleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_late_push_is_stamped_with_its_due_time_and_its_lateness_is_kept()
    {
        var time = new FakeTimeProvider();
        var schedule = new PushSchedule(perSecond: 10, time);
        var started = time.GetTimestamp();

        Assert.Equal(started, await schedule.WaitUntilDueAsync(0).WaitAsync(Timeout));

        // The first push's answer took 350 ms: push 1 was due at 100 ms and goes out at once, stamped 100 ms.
        time.Advance(TimeSpan.FromMilliseconds(350));
        var stamp = await schedule.WaitUntilDueAsync(1).WaitAsync(Timeout);

        Assert.Equal(TimeSpan.FromMilliseconds(100), time.GetElapsedTime(started, stamp));
        Assert.Equal(TimeSpan.FromMilliseconds(250), schedule.MaxLag);
    }

    [Fact]
    public async Task A_push_not_yet_due_waits_for_its_time()
    {
        var time = new FakeTimeProvider();
        var schedule = new PushSchedule(perSecond: 10, time);
        var started = time.GetTimestamp();

        var waiting = schedule.WaitUntilDueAsync(5);
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(waiting.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        var stamp = await waiting.WaitAsync(Timeout);

        Assert.Equal(TimeSpan.FromMilliseconds(500), time.GetElapsedTime(started, stamp));
        Assert.Equal(TimeSpan.Zero, schedule.MaxLag);
    }
}
