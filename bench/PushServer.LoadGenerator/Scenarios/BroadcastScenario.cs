using System.Diagnostics;
using PushServer.LoadGenerator.Measurement;

namespace PushServer.LoadGenerator.Scenarios;

/// <summary>
/// Broadcasts triggered by the push API (<c>GET /?msg=</c>, as phpsocket.io's inner worker): either single
/// broadcasts one after the other, or a sustained rate for a while. Each message carries the generator's
/// timestamp (a sustained push: the time it was due), so every receipt yields a push-to-receipt latency.
/// </summary>
internal static class BroadcastScenario
{
    public static async Task<ScenarioResult> RunAsync(LoadOptions options)
    {
        if (options.PushApi is null)
        {
            throw new ArgumentException("--push is required for the broadcast scenario");
        }
        var server = new ProcessSampler(options.ServerPid);
        await using var fleet = new Fleet();
        await fleet.OpenAsync(options.Server, options.Clients, options.ConnectRate, options.Eio, options.SourceAddresses, null, TimeSpan.FromMinutes(5), options.Polling);
        using var http = new HttpClient { BaseAddress = options.PushApi, Timeout = TimeSpan.FromSeconds(30) };

        for (var i = 0; i < options.WarmupBroadcasts; i++)
        {
            var before = fleet.Delivered;
            using var response = await http.GetAsync("?msg=" + Stopwatch.GetTimestamp());
            response.EnsureSuccessStatusCode();
            await WaitForAsync(() => fleet.Delivered >= before + options.Clients, TimeSpan.FromSeconds(options.DrainSeconds));
        }
        fleet.Latency.Reset();
        var baseline = fleet.Delivered;

        var sustained = options.BroadcastsPerSecond > 0;
        var count = sustained ? (int)Math.Round(options.BroadcastsPerSecond * options.Seconds) : options.Broadcasts;
        var expected = (long)count * options.Clients;
        var generatorCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var serverCpuBefore = server.CpuSeconds();
        var started = Stopwatch.GetTimestamp();
        var schedule = sustained ? new PushSchedule(options.BroadcastsPerSecond) : null;
        for (var i = 0; i < count; i++)
        {
            // A sustained push carries the time it was due (see PushSchedule); a single one the time it went out.
            var stamp = schedule is null ? Stopwatch.GetTimestamp() : await schedule.WaitUntilDueAsync(i);
            var before = fleet.Delivered;
            using var response = await http.GetAsync("?msg=" + stamp);
            response.EnsureSuccessStatusCode();
            if (!sustained)
            {
                // Single broadcasts: wait for this one to reach everyone before the next.
                await WaitForAsync(() => fleet.Delivered >= before + options.Clients, TimeSpan.FromSeconds(options.DrainSeconds));
            }
        }
        var delivered = await WaitForAsync(() => fleet.Delivered - baseline >= expected, TimeSpan.FromSeconds(options.DrainSeconds))
            ? expected
            : fleet.Delivered - baseline;
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var serverCpu = server.CpuSeconds() - serverCpuBefore;
        var generatorCpu = (Process.GetCurrentProcess().TotalProcessorTime - generatorCpuBefore).TotalSeconds;
        var (p50, p90, p99, max) = fleet.Latency.Percentiles();
        return new ScenarioResult(sustained ? "broadcast-sustained" : "broadcast-single")
            .Set("eio", options.Eio)
            .Set("transport", options.Polling ? "polling" : "websocket")
            .Set("clients", options.Clients)
            .Set("broadcasts", count)
            .Set("warmupBroadcasts", options.WarmupBroadcasts)
            .Set("ratePerSecond", options.BroadcastsPerSecond)
            .Set("deliveredPercent", 100.0 * delivered / expected)
            .Set("latencyP50Ms", p50)
            .Set("latencyP90Ms", p90)
            .Set("latencyP99Ms", p99)
            .Set("latencyMaxMs", max)
            .Set("pushLagMaxMs", schedule?.MaxLag.TotalMilliseconds)
            .Set("deliveriesPerSecond", delivered / elapsed)
            .Set("serverCpuSeconds", serverCpu)
            .Set("deliveriesPerServerCpuSecond", serverCpu > 0 ? delivered / serverCpu : double.NaN)
            .Set("generatorCpuSeconds", generatorCpu)
            .Set("disconnected", fleet.Closed);
    }

    private static async Task<bool> WaitForAsync(Func<bool> done, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!done())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }
            await Task.Delay(2);
        }
        return true;
    }
}
