using System.Net;

namespace PushServer.LoadGenerator.Scenarios;

/// <summary>Command-line settings shared by the scenarios.</summary>
internal sealed record LoadOptions
{
    public required IPEndPoint Server { get; init; }
    public Uri? PushApi { get; init; }
    public int ServerPid { get; init; }
    public int Clients { get; init; } = 1000;
    public int ConnectRate { get; init; } = 2000;
    public int Eio { get; init; } = 4;
    public int SourceAddresses { get; init; } = 20;
    public int Broadcasts { get; init; } = 5;
    public double BroadcastsPerSecond { get; init; }
    public double Seconds { get; init; } = 5;
    public double DrainSeconds { get; init; } = 10;
    public double HoldSeconds { get; init; } = 3;

    // Warm-ups: both servers compile their hot paths while serving the first requests (V8's tiers and .NET's tiered
    // JIT alike), which takes seconds of CPU. Measuring after a warm-up describes a server in its steady state, which
    // is where a push server spends its life, rather than its first seconds.

    /// <summary>Echo: seconds the closed loop runs before the measurement starts.</summary>
    public double WarmupSeconds { get; init; } = 15;

    /// <summary>
    /// Broadcast: single broadcasts sent and awaited before the measurement starts. Code that runs once per push (the
    /// push API's request path) is compiled in two steps by .NET's tiered JIT, each after about 30 calls (first with
    /// profiling, then final); with 10 warm-up pushes the window measured at 2 broadcasts/s still held some 1,000
    /// recompilations, a sixth of the server's CPU. 60 covers both steps.
    /// </summary>
    public int WarmupBroadcasts { get; init; } = 60;

    /// <summary>
    /// Idle: clients opened and kept before the baseline of the added-connection figure is read (0: that figure is
    /// not measured).
    /// </summary>
    public int BaselineClients { get; init; } = 1000;
    public bool Polling { get; init; }
}
