using PushServer.SocketIO.Redis.Sharded;
using PushServer.SocketIO.Redis.Streams;

namespace PushServer.SocketIO.Redis;

public sealed partial class RedisShardedAdapter
{
    /// <summary>A message on one of this namespace's channels, in that channel's order.</summary>
    private void OnMessage(string channel, ReadOnlyMemory<byte> bytes)
    {
        if (!ShardedMessageCodec.TryDecode(bytes, out var message))
        {
            Log.MalformedMessage(_logger, channel);
            return;
        }
        if (message!.Uid == Uid || message.Nsp != Namespace.Name)
        {
            return;
        }
        try
        {
            if (message.Type == ClusterMessageType.Broadcast && message.RequestId is null)
            {
                if (TryReadBroadcast(message, out var packet, out var options))
                {
                    BroadcastLocally(packet, options);
                }
                return;
            }
            // Heartbeats and ADAPTER_CLOSE are not part of this protocol (nodes are counted by Redis): ignored.
            OnClusterMessage(message);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or System.Text.Json.JsonException)
        {
            Log.MalformedMessage(_logger, channel, ex);
        }
        catch (Exception ex)
        {
            // Whatever a handler of a remote server-side emit or a local delivery threw: logged here, as the channel's
            // reader is StackExchange.Redis's and must keep reading the next messages.
            Log.MessageFailed(_logger, channel, ex);
        }
    }

    /// <summary>In the dynamic modes, a room got its first or lost its last local member: its channel follows.</summary>
    private void OnRoomChanged(string room, string socketId)
    {
        if (UsesRoomChannel(room, socketId))
        {
            _ = _subscriptions.ReconcileAsync(RoomChannel(room), () => _disposed == 0 && HasLocalRoom(room));
        }
    }

    /// <summary>Whether <paramref name="room"/> has a channel of its own: public rooms in dynamic mode, every room in dynamic-private.</summary>
    private bool UsesRoomChannel(string room, string socketId) =>
        _mode == ShardedSubscriptionMode.DynamicPrivate || (_mode == ShardedSubscriptionMode.Dynamic && room != socketId);

    private void OnConnectionStateChanged(bool connected)
    {
        if (connected)
        {
            _ = SubscribeAllAsync();
        }
    }

    /// <summary>
    /// Subscribes whatever is not yet: the two channels of the namespace and, in the dynamic modes, those of its rooms.
    /// StackExchange.Redis re-sends existing subscriptions itself after a reconnection or a failover; this covers what
    /// failed while Redis was away.
    /// </summary>
    private async Task SubscribeAllAsync()
    {
        var changes = new List<Task>
        {
            _subscriptions.ReconcileAsync(_channel, () => _disposed == 0),
            _subscriptions.ReconcileAsync(_responseChannel, () => _disposed == 0),
        };
        if (_mode != ShardedSubscriptionMode.Static)
        {
            var privateRooms = _mode == ShardedSubscriptionMode.DynamicPrivate;
            foreach (var room in LocalRooms())
            {
                // A socket's own room is the one named by a socket id; in dynamic mode it has no channel.
                if (privateRooms || GetSocketRooms(room) is null)
                {
                    changes.Add(_subscriptions.ReconcileAsync(RoomChannel(room), () => _disposed == 0 && HasLocalRoom(room)));
                }
            }
        }
        await Task.WhenAll(changes).ConfigureAwait(false);
        if (IsConnected)
        {
            _subscribedSignal.TrySetResult();
        }
    }
}
