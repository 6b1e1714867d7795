using PushServer.SocketIO.Adapters;

namespace PushServer.SocketIO.Redis.Cluster;

/// <summary>A question a <see cref="ClusterAdapter"/> asks every other node, each answering once under <see cref="RequestId"/>.</summary>
/// <param name="RequestId">The id the answers carry.</param>
public abstract record ClusterQuery(string RequestId)
{
    /// <summary>The question's name in logs.</summary>
    public abstract string Name { get; }
}

/// <summary>socket.io-adapter's FETCH_SOCKETS: the sockets matching <paramref name="Options"/> on each node.</summary>
public sealed record FetchSocketsQuery(string RequestId, BroadcastOptions Options) : ClusterQuery(RequestId)
{
    /// <inheritdoc />
    public override string Name => "FetchSockets";
}

/// <summary>socket.io-adapter's SERVER_SIDE_EMIT with an acknowledgement: each node's handler answers once.</summary>
public sealed record ServerSideEmitQuery(string RequestId, string EventName, IReadOnlyList<object?> Args) : ClusterQuery(RequestId)
{
    /// <inheritdoc />
    public override string Name => "ServerSideEmit";
}
