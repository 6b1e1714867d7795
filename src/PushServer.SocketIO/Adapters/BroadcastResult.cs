namespace PushServer.SocketIO.Adapters;

/// <summary>What a broadcast did, as far as this node can tell.</summary>
/// <param name="LocalRecipients">How many clients of this node the packet was queued for.</param>
/// <param name="Reach">Whether the other nodes were reached.</param>
/// <param name="OtherNodes">How many other nodes the cluster delivered the packet to, when known.</param>
public sealed record BroadcastResult(int LocalRecipients, BroadcastReach Reach, int? OtherNodes = null)
{
    /// <summary>True unless the cluster should have been reached and could not be.</summary>
    public bool ReachedEveryNode => Reach != BroadcastReach.ThisNodeOnlyClusterUnavailable;
}
