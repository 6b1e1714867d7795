namespace PushServer.EngineIO.ConnectionLevelWebSockets;

/// <summary>
/// Set by <see cref="UpgradeSniffingListener"/> on the connections it hands to Kestrel: when it accepted them (a
/// timestamp of the engine's deadline clock), so that the acceptor's middleware holds the first request head to a
/// deadline from the accept, not from the hand-off, and knows the connection is already counted in the limits.
/// </summary>
internal sealed class AcceptedConnectionFeature(long acceptedAt)
{
    /// <summary>The accept, as <see cref="Sessions.DeadlineScheduler.Now"/>.</summary>
    public long AcceptedAt { get; } = acceptedAt;
}
