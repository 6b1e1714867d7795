using Microsoft.Extensions.Time.Testing;
using PushServer.AdminUi;

namespace PushServer.Tests.Behaviours;

/// <summary>The bounds of <see cref="AdminLoginGuard"/> that a real client cannot reach on cue: checks still running.</summary>
public sealed class AdminLoginGuardTests
{
    [Fact]
    public async Task One_check_runs_at_a_time_and_a_login_beyond_the_waiting_ones_is_refused_at_once()
    {
        var guard = new AdminLoginGuard(new FakeTimeProvider());
        using var release = new ManualResetEventSlim();
        var running = 0;
        var mostAtOnce = 0;
        bool SlowCheck()
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            release.Wait(TimeSpan.FromSeconds(30));
            Interlocked.Decrement(ref running);
            return false;
        }

        // Each from its own address, so no lock-out is involved.
        var admitted = Enumerable.Range(0, AdminLoginGuard.MaxWaiting + 1)
            .Select(i => guard.CheckAsync("10.0.0." + i, SlowCheck, CancellationToken.None))
            .ToList();
        var refused = await guard.CheckAsync("10.0.1.1", () => throw new InvalidOperationException("must not run"), CancellationToken.None).DefaultTimeout();
        release.Set();
        var results = await Task.WhenAll(admitted).DefaultTimeout();

        Assert.Equal(AdminLoginGuard.Verdict.Busy, refused.Verdict);
        Assert.All(results, r => Assert.Equal(AdminLoginGuard.Verdict.Checked, r.Verdict));
        Assert.Equal(1, mostAtOnce);
    }

    [Fact]
    public async Task The_failure_that_reaches_the_limit_says_so_once_and_the_window_runs_from_the_first_failure()
    {
        var clock = new FakeTimeProvider();
        var guard = new AdminLoginGuard(clock);
        var lockedOut = new List<bool>();
        for (var i = 0; i < AdminLoginGuard.MaxFailures; i++)
        {
            lockedOut.Add((await guard.CheckAsync("10.0.0.1", () => false, CancellationToken.None)).LockedOutNow);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([false, false, false, false, true], lockedOut);
        Assert.Equal(AdminLoginGuard.Verdict.AddressLockedOut, (await guard.CheckAsync("10.0.0.1", () => true, CancellationToken.None)).Verdict);
        Assert.Equal(AdminLoginGuard.Verdict.Checked, (await guard.CheckAsync("10.0.0.2", () => false, CancellationToken.None)).Verdict);
        clock.Advance(AdminLoginGuard.FailureWindow - TimeSpan.FromSeconds(AdminLoginGuard.MaxFailures));
        Assert.True((await guard.CheckAsync("10.0.0.1", () => true, CancellationToken.None)).Matches);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }
            seen = previous;
        }
    }
}
