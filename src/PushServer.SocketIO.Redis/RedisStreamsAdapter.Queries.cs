using System.Text.Json;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Redis.Cluster;
using PushServer.SocketIO.Redis.Protocol;
using PushServer.SocketIO.Redis.Streams;

namespace PushServer.SocketIO.Redis;

public sealed partial class RedisStreamsAdapter
{
    /// <inheritdoc />
    /// <remarks>
    /// The cluster adapter protocol has no room listing, so the other nodes' rooms are those of their sockets, asked
    /// with a fetch of every socket: that works with Node nodes too.
    /// </remarks>
    public override async Task<ClusterResult<IReadOnlySet<string>>> AllRoomsFromClusterAsync(CancellationToken cancellationToken)
    {
        var rooms = LocalRooms();
        var fetched = await FetchSocketsFromClusterAsync(BroadcastOptions.All, cancellationToken).ConfigureAwait(false);
        foreach (var socket in fetched.Value)
        {
            rooms.UnionWith(socket.Rooms);
        }
        return new ClusterResult<IReadOnlySet<string>>(rooms, fetched.ExpectedNodeCount, fetched.RespondedNodeCount,
            fetched.ClusterReachable, fetched.MissingNodeIds);
    }

    /// <inheritdoc />
    protected override ValueTask<ClusterAudience?> GetAudienceAsync()
    {
        // Every node alive now: nodes that stop (ADAPTER_CLOSE, heartbeat timeout) meanwhile are not waited for.
        var nodes = LiveNodes();
        return ValueTask.FromResult<ClusterAudience?>(new ClusterAudience(nodes.Count, nodes));
    }

    /// <inheritdoc />
    protected override Task PublishQueryAsync(ClusterQuery query)
    {
        var (type, data) = query switch
        {
            FetchSocketsQuery fetch => (ClusterMessageType.FetchSockets,
                new MessageData().Add("opts", OptionsData(fetch.Options)).Add("requestId", fetch.RequestId)),
            ServerSideEmitQuery emit => (ClusterMessageType.ServerSideEmit,
                new MessageData().Add("requestId", emit.RequestId).Add("packet", new EventArguments(emit.EventName, emit.Args))),
            _ => throw new NotSupportedException(query.Name),
        };
        return _cluster.AppendAsync(StreamMessageCodec.Encode(Uid, Namespace.Name, type, data, Json));
    }

    /// <inheritdoc />
    protected override void LogQueryFailed(Exception exception) => Log.AppendFailed(_logger, Namespace.Name, exception);

    /// <inheritdoc />
    protected override IEnumerable<RemoteSocket> ReadFetchedSockets(object? answer)
    {
        if ((answer as Dictionary<string, object?>)?.GetValueOrDefault("sockets") is List<object?> list)
        {
            foreach (var item in list)
            {
                if (RemoteSocketJson.TryRead(this, PlainValues.ToJsonElement(item, Json), out var socket))
                {
                    yield return socket;
                }
            }
        }
    }

    /// <inheritdoc />
    protected override JsonElement ReadServerSideEmitAnswer(object? answer) =>
        PlainValues.ToJsonElement((answer as Dictionary<string, object?>)?.GetValueOrDefault("packet"), Json);

    /// <inheritdoc />
    protected override void PublishBroadcastClientCount(string? requesterUid, string requestId, int clientCount) =>
        Publish(ClusterMessageType.BroadcastClientCount, new MessageData().Add("requestId", requestId).Add("clientCount", (long)clientCount));

    /// <inheritdoc />
    protected override void PublishBroadcastAck(string? requesterUid, string requestId, SocketIOArgs ack) =>
        Publish(ClusterMessageType.BroadcastAck, new MessageData().Add("requestId", requestId)
            .Add("packet", ack.Count == 0 ? null : new AckValue(ack[0], ack.Attachments)));

    /// <inheritdoc />
    protected override void PublishFetchSocketsAnswer(string? requesterUid, string requestId, IReadOnlyList<SocketIOSocket> sockets) =>
        Publish(ClusterMessageType.FetchSocketsResponse, new MessageData().Add("requestId", requestId).Add("sockets", new LocalSockets(sockets)));

    /// <inheritdoc />
    protected override void PublishServerSideEmitAnswer(string? requesterUid, string requestId, object? answer) =>
        Publish(ClusterMessageType.ServerSideEmitResponse, new MessageData().Add("requestId", requestId).Add("packet", answer));
}
