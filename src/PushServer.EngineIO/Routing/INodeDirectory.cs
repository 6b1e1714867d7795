namespace PushServer.EngineIO.Routing;

/// <summary>
/// Where the nodes of a cluster can be reached: each node publishes its tag (see <see cref="RoutedSessionIds"/>) and
/// the base URL of its Engine.IO listener, and looks up the others'. Only nodes found here are ever relayed to, so a
/// client cannot make a node connect anywhere else by forging a sid.
/// </summary>
public interface INodeDirectory
{
    /// <summary>The base URL (scheme, host, port) of the node tagged <paramref name="nodeTag"/>, or null when no live node has that tag.</summary>
    ValueTask<Uri?> FindAsync(string nodeTag, CancellationToken cancellationToken);
}
