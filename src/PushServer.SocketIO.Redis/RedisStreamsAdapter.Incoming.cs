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
        switch (message.Type)
        {
            case ClusterMessageType.InitialHeartbeat:
                Publish(ClusterMessageType.Heartbeat, null);
                break;
            case ClusterMessageType.AdapterClose:
                RemoveNode(message.Uid);
                break;
            case ClusterMessageType.Broadcast when message.RequestId is null:
                DeliverBroadcast(id, message);
                break;
            default:
                OnClusterMessage(message);
                break;
        }
    }

    /// <summary>A stored event (or a volatile one) for the local clients, carrying its entry id as offset when recovery is on.</summary>
    private void DeliverBroadcast(StreamEntryId id, ClusterMessage message)
    {
        if (!TryReadBroadcast(message, out var packet, out var options))
        {
            return;
        }
        if (Recovers && !options.Flags.Volatile)
        {
            packet = packet.WithOffset(id.ToString());
        }
        BroadcastLocally(packet, options);
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
