using System.Collections.Concurrent;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis.Sharded;

/// <summary>
/// The sharded channels (SSUBSCRIBE) one namespace's adapter listens to. Changes run one after the other, in the
/// order asked, and each one subscribes or unsubscribes according to what is wanted when it runs, so a room created
/// and deleted in quick succession never leaves a channel subscribed. Each channel is read through its own ordered
/// queue; messages of different channels (often on different shards) have no order between them, as on a Node node.
/// </summary>
internal sealed class ShardedChannelSubscriptions
{
    private readonly Func<ISubscriber?> _subscriber;
    private readonly Action<string, ReadOnlyMemory<byte>> _onMessage;
    private readonly Action<string, Exception> _onFailure;
    private readonly ConcurrentDictionary<string, ChannelMessageQueue> _queues = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Task _tail = Task.CompletedTask;

    public ShardedChannelSubscriptions(
        Func<ISubscriber?> subscriber, Action<string, ReadOnlyMemory<byte>> onMessage, Action<string, Exception> onFailure)
    {
        _subscriber = subscriber;
        _onMessage = onMessage;
        _onFailure = onFailure;
    }

    /// <summary>
    /// True when <paramref name="channel"/> is subscribed on a Redis node this process is connected to. While the
    /// master that held the subscription is down (a failover), this is false until the subscription is re-sent to
    /// the slot's new owner.
    /// </summary>
    public bool IsListening(string channel) =>
        _queues.ContainsKey(channel) && _subscriber() is { } subscriber
        && subscriber.SubscribedEndpoint(RedisChannel.Sharded(channel)) is { } endpoint
        && subscriber.Multiplexer.GetServer(endpoint).IsConnected;

    /// <summary>Subscribes to or unsubscribes from <paramref name="channel"/>, as <paramref name="wanted"/> says when the change runs.</summary>
    public Task ReconcileAsync(string channel, Func<bool> wanted)
    {
        lock (_gate)
        {
            _tail = _tail.ContinueWith(_ => ApplyAsync(channel, wanted), TaskScheduler.Default).Unwrap();
            return _tail;
        }
    }

    /// <summary>Unsubscribes from everything.</summary>
    public Task CloseAsync()
    {
        var tasks = new List<Task>();
        foreach (var channel in _queues.Keys)
        {
            tasks.Add(ReconcileAsync(channel, static () => false));
        }
        return Task.WhenAll(tasks);
    }

    private async Task ApplyAsync(string channel, Func<bool> wanted)
    {
        var want = wanted();
        var have = _queues.TryGetValue(channel, out var queue);
        try
        {
            if (want && !have && _subscriber() is { } subscriber)
            {
                queue = await subscriber.SubscribeAsync(RedisChannel.Sharded(channel)).ConfigureAwait(false);
                queue.OnMessage(m => _onMessage(channel, ((byte[]?)m.Message) ?? []));
                _queues[channel] = queue;
            }
            else if (!want && have)
            {
                _queues.TryRemove(channel, out _);
                await queue!.UnsubscribeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Tried again when the connection comes back (the adapter reconciles every channel then).
            _onFailure(channel, ex);
        }
    }
}
