using PushServer.LoadGenerator.Measurement;

namespace PushServer.LoadGenerator.Scenarios;

/// <summary>N idle connections: the server's resident memory per connection.</summary>
internal static class IdleScenario
{
    public static async Task<ScenarioResult> RunAsync(LoadOptions options)
    {
        var server = new ProcessSampler(options.ServerPid);
        if (options.WarmupClients > 0)
        {
            await using (var warmup = new Fleet())
            {
                await warmup.OpenAsync(options.Server, options.WarmupClients, options.ConnectRate, options.Eio, options.SourceAddresses, null, TimeSpan.FromMinutes(5), options.Polling);
            }
            // The server notices the closes and lets go of the sessions before the baseline is read.
            await Task.Delay(TimeSpan.FromSeconds(options.HoldSeconds));
        }
        var before = server.RssBytes();
        await using var fleet = new Fleet();
        await fleet.OpenAsync(options.Server, options.Clients, options.ConnectRate, options.Eio, options.SourceAddresses, null, TimeSpan.FromMinutes(5), options.Polling);
        // Let allocations settle (first heartbeats, GC) before reading the footprint.
        await Task.Delay(TimeSpan.FromSeconds(options.HoldSeconds));
        var after = server.RssBytes();
        return new ScenarioResult("idle")
            .Set("eio", options.Eio)
            .Set("transport", options.Polling ? "polling" : "websocket")
            .Set("clients", options.Clients)
            .Set("warmupClients", options.WarmupClients)
            .Set("serverRssMiB", after / 1048576.0)
            .Set("serverBytesPerConnection", (double)(after - before) / options.Clients);
    }
}
