using Microsoft.Extensions.Time.Testing;
using PushServer.EngineIO.Sessions;

namespace PushServer.EngineIO.Tests.Scheduling;

public class DeadlineSchedulerTests
{
    private sealed class Owner : IDeadlineOwner
    {
        private DeadlineSlot _slot;

        public int Fired { get; private set; }

        public Action? OnFire { get; set; }

        public ref DeadlineSlot Deadline => ref _slot;

        public void OnDeadline(long due)
        {
            Fired++;
            OnFire?.Invoke();
        }
    }

    [Fact]
    public void A_deadline_fires_exactly_at_its_time_and_once()
    {
        var time = new FakeTimeProvider();
        var scheduler = new DeadlineScheduler(time);
        var owner = new Owner();

        scheduler.Set(owner, TimeSpan.FromSeconds(25));
        time.Advance(TimeSpan.FromSeconds(25) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, owner.Fired);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, owner.Fired);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, owner.Fired);
        Assert.Equal(0, scheduler.Pending);
    }

    [Fact]
    public void Moving_a_deadline_later_keeps_one_entry_and_fires_at_the_new_time()
    {
        var time = new FakeTimeProvider();
        var scheduler = new DeadlineScheduler(time);
        var owner = new Owner();

        scheduler.Set(owner, TimeSpan.FromSeconds(20));
        time.Advance(TimeSpan.FromSeconds(10));
        scheduler.Set(owner, TimeSpan.FromSeconds(25));
        Assert.Equal(1, scheduler.Pending);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(0, owner.Fired);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, owner.Fired);
    }

    [Fact]
    public void Moving_a_deadline_earlier_fires_at_the_earlier_time_only()
    {
        var time = new FakeTimeProvider();
        var scheduler = new DeadlineScheduler(time);
        var owner = new Owner();

        scheduler.Set(owner, TimeSpan.FromSeconds(45));
        scheduler.Set(owner, TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, owner.Fired);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, owner.Fired);
    }

    [Fact]
    public void A_cleared_deadline_does_not_fire_and_others_still_do_in_order()
    {
        var time = new FakeTimeProvider();
        var scheduler = new DeadlineScheduler(time);
        var cleared = new Owner();
        var order = new List<string>();
        var first = new Owner { OnFire = () => order.Add("first") };
        var second = new Owner { OnFire = () => order.Add("second") };

        scheduler.Set(second, TimeSpan.FromSeconds(3));
        scheduler.Set(cleared, TimeSpan.FromSeconds(1));
        scheduler.Set(first, TimeSpan.FromSeconds(2));
        scheduler.Clear(cleared);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, cleared.Fired);
        Assert.Equal(["first", "second"], order);
    }

    [Fact]
    public void A_callback_can_set_its_next_deadline()
    {
        var time = new FakeTimeProvider();
        var scheduler = new DeadlineScheduler(time);
        var owner = new Owner();
        owner.OnFire = () => scheduler.Set(owner, TimeSpan.FromSeconds(1));

        scheduler.Set(owner, TimeSpan.FromSeconds(1));
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3, owner.Fired);
    }

    [Fact]
    public void With_a_minimum_gap_deadlines_close_together_fire_in_one_firing_and_none_fires_early()
    {
        var time = new FakeTimeProvider();
        var scheduler = new DeadlineScheduler(time, TimeSpan.FromMilliseconds(20));
        var first = new Owner();
        var second = new Owner();
        var third = new Owner();

        scheduler.Set(first, TimeSpan.FromSeconds(1));
        scheduler.Set(second, TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(5));
        scheduler.Set(third, TimeSpan.FromSeconds(2));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, first.Fired);
        Assert.Equal(0, second.Fired); // not due yet: never early
        time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(0, second.Fired); // due, but within the gap after the last firing
        time.Advance(TimeSpan.FromMilliseconds(15));
        Assert.Equal(1, second.Fired);
        // Far from the last firing, a deadline fires exactly at its time.
        time.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(21));
        Assert.Equal(0, third.Fired);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, third.Fired);
    }

    [Fact]
    public void A_timer_that_fires_early_does_not_hold_the_deadline_back_by_the_gap()
    {
        // The system timer counts on a coarse millisecond clock and can fire before the timestamp reaches the due time.
        // That firing finds nothing due; it must not count as the firing the gap is measured from.
        var fake = new FakeTimeProvider();
        var scheduler = new DeadlineScheduler(new ShiftedTimerClock(fake, TimeSpan.FromMilliseconds(-1)), TimeSpan.FromMilliseconds(20));
        var owner = new Owner();

        scheduler.Set(owner, TimeSpan.FromSeconds(1));
        fake.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, owner.Fired);
        fake.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, owner.Fired);
    }

    [Fact]
    public void A_deadline_set_from_a_past_start_is_due_at_start_plus_delay_however_late_it_is_set()
    {
        var time = new FakeTimeProvider();
        var scheduler = new DeadlineScheduler(time);
        var owner = new Owner();
        var start = scheduler.Now;

        time.Advance(TimeSpan.FromMilliseconds(30));
        scheduler.SetAt(owner, start, TimeSpan.FromMilliseconds(200));
        time.Advance(TimeSpan.FromMilliseconds(169));
        Assert.Equal(0, owner.Fired);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, owner.Fired);
    }
}
