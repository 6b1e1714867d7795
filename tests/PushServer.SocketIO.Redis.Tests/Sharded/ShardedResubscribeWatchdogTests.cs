using Microsoft.Extensions.Time.Testing;
using PushServer.SocketIO.Redis.Sharded;

namespace PushServer.SocketIO.Redis.Tests.Sharded;

/// <summary>When the watchdog resubscribes a deaf namespace, on virtual time: after the delay, then at doubling intervals.</summary>
public sealed class ShardedResubscribeWatchdogTests : IDisposable
{
    private static readonly TimeSpan After = TimeSpan.FromSeconds(3);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UnixEpoch);
    private readonly List<(int Attempt, TimeSpan DeafFor)> _attempts = [];
    private readonly ShardedResubscribeWatchdog _watchdog;
    private bool _deaf;
    private bool _reachable = true;

    public ShardedResubscribeWatchdogTests() =>
        _watchdog = new ShardedResubscribeWatchdog(After, _clock, () => _deaf, () => _reachable, (attempt, deafFor) =>
        {
            lock (_attempts)
            {
                _attempts.Add((attempt, deafFor));
            }
            return Task.CompletedTask;
        });

    public void Dispose() => _watchdog.Dispose();

    [Fact]
    public async Task Nothing_happens_while_the_channels_are_listened_to()
    {
        await AdvanceAsync(TimeSpan.FromMinutes(2));

        Assert.Empty(_attempts);
    }

    [Fact]
    public async Task A_deaf_namespace_is_resubscribed_after_the_delay_then_at_doubling_intervals_up_to_30_seconds()
    {
        _deaf = true;
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Empty(_attempts);

        // Deaf from the first look (at 1 s): attempts 3, 6, 12, 24, 30 and 30 s later.
        var expected = new List<int>();
        foreach (var at in (int[])[4, 7, 13, 25, 49, 79, 109])
        {
            await AdvanceAsync(TimeSpan.FromSeconds(at) - (_clock.GetUtcNow() - DateTimeOffset.UnixEpoch) - TimeSpan.FromSeconds(1));
            Assert.Equal(expected.Count, _attempts.Count);
            await AdvanceAsync(TimeSpan.FromSeconds(1));
            expected.Add(at);
            Assert.Equal(expected.Count, _attempts.Count);
        }
        Assert.Equal(Enumerable.Range(1, expected.Count), _attempts.Select(a => a.Attempt));
        Assert.Equal(expected.Select(at => TimeSpan.FromSeconds(at - 1)), _attempts.Select(a => a.DeafFor));
    }

    [Fact]
    public async Task Listening_again_starts_the_next_deafness_afresh()
    {
        _deaf = true;
        await AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, _attempts.Count);

        _deaf = false;
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        _deaf = true;
        await AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(2, _attempts.Count);
        await AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal((1, After), _attempts[^1]);
    }

    [Fact]
    public async Task Nothing_happens_while_Redis_is_unreachable_its_reconnection_resubscribes()
    {
        _deaf = true;
        _reachable = false;
        await AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Empty(_attempts);

        _reachable = true;
        await AdvanceAsync(TimeSpan.FromSeconds(4));

        Assert.Equal([(1, After)], _attempts);
    }

    [Fact]
    public async Task An_attempt_still_running_is_not_overlapped()
    {
        var release = new TaskCompletionSource();
        var calls = 0;
        using var watchdog = new ShardedResubscribeWatchdog(After, _clock, () => true, () => true, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            return release.Task;
        });

        await AdvanceAsync(TimeSpan.FromMinutes(1), watchdog, waitForAttempts: false);
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref calls) > 0, TimeSpan.FromSeconds(10)));
        Assert.Equal(1, calls);

        release.SetResult();
        await watchdog.Running;
        await AdvanceAsync(TimeSpan.FromSeconds(6), watchdog);
        Assert.Equal(2, calls);
    }

    [Fact]
    public void The_intervals_double_from_the_delay_and_stop_at_30_seconds_or_at_a_longer_delay()
    {
        Assert.Equal([3, 6, 12, 24, 30, 30], Enumerable.Range(1, 6).Select(n => (int)_watchdog.IntervalAfter(n).TotalSeconds));
        using var slow = new ShardedResubscribeWatchdog(TimeSpan.FromMinutes(1), _clock, () => false, () => true, (_, _) => Task.CompletedTask);
        Assert.Equal(TimeSpan.FromMinutes(1), slow.IntervalAfter(5));
    }

    /// <summary>Moves the clock a second at a time (the watchdog's period), letting each attempt it starts finish unless told.</summary>
    private async Task AdvanceAsync(TimeSpan by, ShardedResubscribeWatchdog? watchdog = null, bool waitForAttempts = true)
    {
        for (var step = TimeSpan.Zero; step < by; step += TimeSpan.FromSeconds(1))
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            if (waitForAttempts)
            {
                await (watchdog ?? _watchdog).Running;
            }
        }
    }
}
