using PushServer.LoadGenerator.Measurement;

namespace PushServer.LoadGenerator.Scenarios;

/// <summary>
/// N idle connections: the server's resident memory per connection, two ways. From the fresh process: RSS growth over
/// N, which charges the connections with what the server spends once (code compiled and paged in, pools and heaps
/// grown). Added: the first <c>--baseline-clients</c> are opened and kept, RSS is read, the rest are opened, and the
/// growth is divided by how many were added; the one-off costs are then paid already, so this is what one more
/// connection costs. The server's CPU time over the final hold, per second, is the cost of keeping them open
/// (heartbeats), given a hold of a few ping intervals (<c>--hold-seconds 60</c>).
/// </summary>
internal static class IdleScenario
{
    public static async Task<ScenarioResult> RunAsync(LoadOptions options)
    {
        var server = new ProcessSampler(options.ServerPid);
        var before = server.RssBytes();
        // The added-connection figure needs most of the clients added after the baseline to mean anything.
        var baselineClients = options.BaselineClients > 0 && options.BaselineClients <= options.Clients / 2 ? options.BaselineClients : 0;
        await using var baseline = new Fleet();
        await using var fleet = new Fleet();
        var atBaseline = before;
        if (baselineClients > 0)
        {
            await baseline.OpenAsync(options.Server, baselineClients, options.ConnectRate, options.Eio, options.SourceAddresses, null, TimeSpan.FromMinutes(5), options.Polling);
            await Task.Delay(TimeSpan.FromSeconds(options.HoldSeconds));
            atBaseline = server.RssBytes();
        }
        await fleet.OpenAsync(options.Server, options.Clients - baselineClients, options.ConnectRate, options.Eio, options.SourceAddresses, null, TimeSpan.FromMinutes(5), options.Polling);
        // Let allocations settle (first heartbeats, GC) before reading the footprint. The server's CPU over the hold is
        // what keeping the connections costs: with a hold of a few heartbeat intervals, mostly heartbeats.
        var cpuBeforeHold = server.CpuSeconds();
        await Task.Delay(TimeSpan.FromSeconds(options.HoldSeconds));
        var heldCpu = server.CpuSeconds() - cpuBeforeHold;
        var after = server.RssBytes();
        var result = new ScenarioResult("idle")
            .Set("eio", options.Eio)
            .Set("transport", options.Polling ? "polling" : "websocket")
            .Set("clients", options.Clients)
            .Set("serverRssMiB", after / 1048576.0)
            .Set("serverBytesPerConnection", (double)(after - before) / options.Clients)
            .Set("holdSeconds", options.HoldSeconds)
            .Set("serverCpuSecondsPerSecondHeld", heldCpu / options.HoldSeconds);
        if (baselineClients > 0)
        {
            result.Set("baselineClients", baselineClients)
                .Set("serverBytesPerAddedConnection", (double)(after - atBaseline) / (options.Clients - baselineClients));
        }
        return result;
    }
}
