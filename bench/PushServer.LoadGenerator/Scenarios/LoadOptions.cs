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
    public bool Polling { get; init; }
}
