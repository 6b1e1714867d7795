using System.Globalization;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Redis.Protocol;
using PushServer.SocketIO.Redis.Streams;

namespace PushServer.SocketIO.Redis;

public sealed partial class RedisStreamsAdapter
{
    /// <summary>
    /// One entry of this namespace, in stream order. Broadcasts arrive under the reader's gate (see
    /// <see cref="RedisStreamsCluster.AtReaderPosition"/>); everything here is quick and never waits on Redis.
    /// </summary>
    internal void OnEntry(StreamEntryId id, ClusterMessage message)
    {
        if (message.Uid == Uid)
        {
            // This node's own messages were applied when made, except stored events with recovery on, which reach
            // the local clients here, in stream order.
            if (message.Type == ClusterMessageType.Broadcast && message.RequestId is null && Recovers)
            {
                DeliverBroadcast(id, message);
            }
            return;
        }
        if (message.Uid != EmitterUid)
        {
            _nodes[message.Uid] = _cluster.Time.GetTimestamp();
        }
        var data = message.Data;
        switch (message.Type)
        {
            case ClusterMessageType.InitialHeartbeat:
                Publish(ClusterMessageType.Heartbeat, null);
                break;
            case ClusterMessageType.AdapterClose:
                RemoveNode(message.Uid);
                break;
            case ClusterMessageType.Broadcast when message.RequestId is { } requestId:
                OnBroadcastWithAck(message.Uid, requestId, data);
                break;
            case ClusterMessageType.Broadcast:
                DeliverBroadcast(id, message);
                break;
            case ClusterMessageType.SocketsJoin:
                OnRemoteSocketsJoin(ReadOptions(data), PlainValues.ToSet(data?.GetValueOrDefault("rooms")));
                break;
            case ClusterMessageType.SocketsLeave:
                OnRemoteSocketsLeave(ReadOptions(data), PlainValues.ToSet(data?.GetValueOrDefault("rooms")));
                break;
            case ClusterMessageType.DisconnectSockets:
                OnRemoteDisconnectSockets(ReadOptions(data), data?.GetValueOrDefault("close") is true);
                break;
            case ClusterMessageType.FetchSockets when message.RequestId is { } requestId:
                OnRemoteFetchSockets(message.Uid, requestId, ReadOptions(data));
                break;
            case ClusterMessageType.ServerSideEmit:
                OnServerSideEmit(message.Uid, message.RequestId, data);
                break;
            case ClusterMessageType.BroadcastClientCount when message.RequestId is { } requestId:
                if (data?.GetValueOrDefault("clientCount") is long count)
                {
                    OnRemoteBroadcastClientCount(requestId, (int)count);
                }
                break;
            case ClusterMessageType.BroadcastAck when message.RequestId is { } requestId:
                OnRemoteBroadcastAck(requestId, () => PlainValues.ToArgs(data?.GetValueOrDefault("packet"), Json));
                break;
            case ClusterMessageType.FetchSocketsResponse:
            case ClusterMessageType.ServerSideEmitResponse:
                if (message.RequestId is { } answered)
                {
                    OnQueryAnswer(answered, message.Uid, data);
                }
                break;
        }
    }

    /// <summary>A stored event (or a volatile one) for the local clients, carrying its entry id as offset when recovery is on.</summary>
    private void DeliverBroadcast(StreamEntryId id, ClusterMessage message)
    {
        var data = message.Data;
        if (!RedisMessageCodec.TryReadBroadcast(message.Uid, data?.GetValueOrDefault("packet"), data?.GetValueOrDefault("opts"), out var broadcast))
        {
            return;
        }
        var options = broadcast!.Options with { Flags = broadcast.Options.Flags with { Local = true, Timeout = null } };
        var packet = new BroadcastPacket(Namespace.Name, broadcast.EventName, broadcast.Args);
        if (Recovers && !options.Flags.Volatile)
        {
            packet = packet.WithOffset(id.ToString());
        }
        BroadcastLocally(packet, options);
    }

    private void OnBroadcastWithAck(string uid, string requestId, Dictionary<string, object?>? data)
    {
        if (!RedisMessageCodec.TryReadBroadcast(uid, data?.GetValueOrDefault("packet"), data?.GetValueOrDefault("opts"), out var broadcast))
        {
            return;
        }
        OnRemoteBroadcastWithAck(uid, requestId, new BroadcastPacket(Namespace.Name, broadcast!.EventName, broadcast.Args), broadcast.Options);
    }

    private void OnServerSideEmit(string uid, string? requestId, Dictionary<string, object?>? data)
    {
        if (data?.GetValueOrDefault("packet") is not List<object?> { Count: > 0 } packet)
        {
            return;
        }
        var eventName = Convert.ToString(packet[0], CultureInfo.InvariantCulture) ?? "";
        OnRemoteServerSideEmit(uid, requestId, eventName, packet.GetRange(1, packet.Count - 1).ToArray());
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

    /// <summary>The other nodes heard from within the heartbeat timeout.</summary>
    private List<string> LiveNodes()
    {
        var now = _cluster.Time.GetTimestamp();
        var live = new List<string>();
        foreach (var (uid, seen) in _nodes)
        {
            if (_cluster.Time.GetElapsedTime(seen, now) <= _cluster.Options.HeartbeatTimeout)
            {
                live.Add(uid);
            }
            else
            {
                RemoveNode(uid);
            }
        }
        return live;
    }

    private void RemoveNode(string uid)
    {
        if (_nodes.TryRemove(uid, out _))
        {
            Log.NodeGone(_logger, uid, Namespace.Name);
        }
        OnRemoteNodeGone(uid);
    }
}
