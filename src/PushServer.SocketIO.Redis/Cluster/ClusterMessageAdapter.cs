using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Redis.Protocol;
using PushServer.SocketIO.Redis.Streams;

namespace PushServer.SocketIO.Redis.Cluster;

/// <summary>
/// A <see cref="ClusterAdapter"/> whose transport carries socket.io-adapter's cluster messages
/// (<c>{uid, nsp, type, data}</c>, the format of Node's ClusterAdapter), as @socket.io/redis-streams-adapter and
/// @socket.io/redis-adapter's sharded adapter both do. This class builds each message's data and reads incoming
/// ones; a subclass only says where a message goes (a stream, a sharded channel) and how node ids are counted.
/// </summary>
public abstract class ClusterMessageAdapter : ClusterAdapter
{
    private protected ClusterMessageAdapter(SocketIONamespace nsp, ILogger logger, bool keepRecoveryLog)
        // socket.io-adapter's cluster uid: 8 random bytes in hex.
        : base(nsp, NewHexId(), logger, keepRecoveryLog)
    {
    }

    private protected JsonSerializerOptions Json => Namespace.Server.SerializerOptions;

    /// <summary>Publishes a message to every node without waiting; a failure is logged, as the Node adapter's publish does.</summary>
    private protected abstract void Publish(ClusterMessageType type, MessageData? data);

    /// <summary>Publishes an answer for node <paramref name="requesterUid"/> without waiting.</summary>
    private protected abstract void PublishResponse(string? requesterUid, ClusterMessageType type, MessageData data);

    /// <summary>Publishes a question; a failure of the transport surfaces as its exception.</summary>
    private protected abstract Task PublishAsync(ClusterMessageType type, MessageData data);

    /// <inheritdoc />
    protected override string NewRequestId() => NewHexId();

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
    protected override void PublishBroadcastWithAck(string requestId, BroadcastPacket packet, BroadcastOptions options) =>
        Publish(ClusterMessageType.Broadcast, BroadcastData(packet, options, requestId));

    /// <inheritdoc />
    protected override void PublishSocketsJoin(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        Publish(ClusterMessageType.SocketsJoin, new MessageData().Add("opts", OptionsData(options)).Add("rooms", rooms));

    /// <inheritdoc />
    protected override void PublishSocketsLeave(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        Publish(ClusterMessageType.SocketsLeave, new MessageData().Add("opts", OptionsData(options)).Add("rooms", rooms));

    /// <inheritdoc />
    protected override void PublishDisconnectSockets(BroadcastOptions options, bool close) =>
        Publish(ClusterMessageType.DisconnectSockets, new MessageData().Add("opts", OptionsData(options)).Add("close", close));

    /// <inheritdoc />
    protected override void PublishServerSideEmit(string eventName, IReadOnlyList<object?> args) =>
        Publish(ClusterMessageType.ServerSideEmit, new MessageData().Add("packet", new EventArguments(eventName, args)));

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
        return PublishAsync(type, data);
    }

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
        PublishResponse(requesterUid, ClusterMessageType.BroadcastClientCount,
            new MessageData().Add("requestId", requestId).Add("clientCount", (long)clientCount));

    /// <inheritdoc />
    protected override void PublishBroadcastAck(string? requesterUid, string requestId, SocketIOArgs ack) =>
        PublishResponse(requesterUid, ClusterMessageType.BroadcastAck, new MessageData().Add("requestId", requestId)
            .Add("packet", ack.Count == 0 ? null : new AckValue(ack[0], ack.Attachments)));

    /// <inheritdoc />
    protected override void PublishFetchSocketsAnswer(string? requesterUid, string requestId, IReadOnlyList<SocketIOSocket> sockets) =>
        PublishResponse(requesterUid, ClusterMessageType.FetchSocketsResponse,
            new MessageData().Add("requestId", requestId).Add("sockets", new LocalSockets(sockets)));

    /// <inheritdoc />
    protected override void PublishServerSideEmitAnswer(string? requesterUid, string requestId, object? answer) =>
        PublishResponse(requesterUid, ClusterMessageType.ServerSideEmitResponse,
            new MessageData().Add("requestId", requestId).Add("packet", answer));

    /// <summary>
    /// Applies another node's message of one of the kinds every cluster adapter handles alike: broadcasts with
    /// acknowledgements, socketsJoin/Leave, disconnectSockets, fetchSockets, server-side emits and the answers to this
    /// node's questions. False for the others (a plain broadcast, heartbeats, a node closing), which are the
    /// subclass's.
    /// </summary>
    private protected bool OnClusterMessage(ClusterMessage message)
    {
        var data = message.Data;
        switch (message.Type)
        {
            case ClusterMessageType.Broadcast when message.RequestId is { } requestId:
                if (RedisMessageCodec.TryReadBroadcast(message.Uid, data?.GetValueOrDefault("packet"), data?.GetValueOrDefault("opts"), out var withAck))
                {
                    OnRemoteBroadcastWithAck(message.Uid, requestId, new BroadcastPacket(Namespace.Name, withAck!.EventName, withAck.Args), withAck.Options);
                }
                return true;
            case ClusterMessageType.SocketsJoin:
                OnRemoteSocketsJoin(ReadOptions(data), PlainValues.ToSet(data?.GetValueOrDefault("rooms")));
                return true;
            case ClusterMessageType.SocketsLeave:
                OnRemoteSocketsLeave(ReadOptions(data), PlainValues.ToSet(data?.GetValueOrDefault("rooms")));
                return true;
            case ClusterMessageType.DisconnectSockets:
                OnRemoteDisconnectSockets(ReadOptions(data), data?.GetValueOrDefault("close") is true);
                return true;
            case ClusterMessageType.FetchSockets:
                if (message.RequestId is { } fetchId)
                {
                    OnRemoteFetchSockets(message.Uid, fetchId, ReadOptions(data));
                }
                return true;
            case ClusterMessageType.ServerSideEmit:
                if (data?.GetValueOrDefault("packet") is List<object?> { Count: > 0 } emitted)
                {
                    var eventName = Convert.ToString(emitted[0], CultureInfo.InvariantCulture) ?? "";
                    OnRemoteServerSideEmit(message.Uid, message.RequestId, eventName, emitted.GetRange(1, emitted.Count - 1).ToArray());
                }
                return true;
            case ClusterMessageType.BroadcastClientCount:
                if (message.RequestId is { } countedId && data?.GetValueOrDefault("clientCount") is long count)
                {
                    OnRemoteBroadcastClientCount(countedId, (int)count);
                }
                return true;
            case ClusterMessageType.BroadcastAck:
                if (message.RequestId is { } ackedId)
                {
                    OnRemoteBroadcastAck(ackedId, () => PlainValues.ToArgs(data?.GetValueOrDefault("packet"), Json));
                }
                return true;
            case ClusterMessageType.FetchSocketsResponse:
            case ClusterMessageType.ServerSideEmitResponse:
                if (message.RequestId is { } answered)
                {
                    OnQueryAnswer(answered, message.Uid, data);
                }
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The packet and selection of a broadcast message, the selection flagged <c>Local</c> (and without its own
    /// timeout) so delivering it here publishes nothing again.
    /// </summary>
    private protected bool TryReadBroadcast(ClusterMessage message, out BroadcastPacket packet, out BroadcastOptions options)
    {
        var data = message.Data;
        if (!RedisMessageCodec.TryReadBroadcast(message.Uid, data?.GetValueOrDefault("packet"), data?.GetValueOrDefault("opts"), out var broadcast))
        {
            packet = null!;
            options = null!;
            return false;
        }
        packet = new BroadcastPacket(Namespace.Name, broadcast!.EventName, broadcast.Args);
        options = broadcast.Options with { Flags = broadcast.Options.Flags with { Local = true, Timeout = null } };
        return true;
    }

    private static BroadcastOptions ReadOptions(Dictionary<string, object?>? data)
    {
        var opts = data?.GetValueOrDefault("opts") as Dictionary<string, object?>;
        return new BroadcastOptions
        {
            Rooms = PlainValues.ToSet(opts?.GetValueOrDefault("rooms")),
            Except = PlainValues.ToSet(opts?.GetValueOrDefault("except")),
            Flags = new BroadcastFlags { Local = true },
        };
    }

    private protected static string NewHexId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>A broadcast's data: socket.io's packet as the adapter publishes it, <c>{type: 2 (EVENT), data: [name, ...args]}</c>.</summary>
    internal static MessageData BroadcastData(BroadcastPacket packet, BroadcastOptions options, string? requestId)
    {
        var data = new MessageData().Add("packet", new MessageData().Add("type", 2L).Add("data", new EventArguments(packet.EventName, packet.Args)));
        if (requestId is not null)
        {
            data.Add("requestId", requestId);
        }
        return data.Add("opts", OptionsData(options));
    }

    private static MessageData OptionsData(BroadcastOptions options)
    {
        var flags = new MessageData();
        if (options.Flags.Volatile)
        {
            flags.Add("volatile", true);
        }
        if (options.Flags.Compress is { } compress)
        {
            flags.Add("compress", compress);
        }
        if (options.Flags.Timeout is { } timeout)
        {
            flags.Add("timeout", (long)timeout.TotalMilliseconds);
        }
        return new MessageData().Add("rooms", options.Rooms).Add("except", options.Except).Add("flags", flags);
    }
}
