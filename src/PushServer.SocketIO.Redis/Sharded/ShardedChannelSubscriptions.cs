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

    // Channels whose subscription failed (or found no connection to send it on), with what says whether each is still
    // wanted: they are deaf as much as a subscription whose shard is down, but the client knows nothing of them.
    private readonly ConcurrentDictionary<string, Func<bool>> _missing = new(StringComparer.Ordinal);
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
    public bool IsListening(string channel)
    {
        if (!_queues.ContainsKey(channel) || _subscriber() is not { } subscriber
            || subscriber.SubscribedEndpoint(RedisChannel.Sharded(channel)) is not { } endpoint)
        {
            return false;
        }
        try
        {
            return subscriber.Multiplexer.GetServer(endpoint).IsConnected;
        }
        catch (ArgumentException)
        {
            // Only control flow: the client has dropped that server from its topology (a master that is gone), so the
            // subscription still bound to it listens nowhere.
            return false;
        }
    }

    /// <summary>
    /// The wanted channels that are not listened to now: subscribed ones whose shard's connection is down (or whose
    /// subscription the client has not yet re-sent to the slot's new owner), and those whose subscription failed.
    /// </summary>
    public IEnumerable<string> DeafChannels()
    {
        foreach (var channel in _queues.Keys)
        {
            if (!IsListening(channel))
            {
                yield return channel;
            }
        }
        foreach (var (channel, wanted) in _missing)
        {
            if (wanted())
            {
                yield return channel;
            }
        }
    }

    /// <summary>Subscribes to or unsubscribes from <paramref name="channel"/>, as <paramref name="wanted"/> says when the change runs.</summary>
    public Task ReconcileAsync(string channel, Func<bool> wanted) => Enqueue(() => ApplyAsync(channel, wanted));

    /// <summary>
    /// Drops the subscription of <paramref name="channel"/> and subscribes it again, if it is subscribed but still not
    /// listened to when the change runs; in the same order as the other changes.
    /// </summary>
    public Task RenewAsync(string channel) => Enqueue(() => RenewNowAsync(channel));

    /// <summary>Unsubscribes from everything, and wants nothing any more.</summary>
    public Task CloseAsync()
    {
        var tasks = new List<Task>();
        foreach (var channel in _queues.Keys.Concat(_missing.Keys).Distinct())
        {
            tasks.Add(ReconcileAsync(channel, static () => false));
        }
        return Task.WhenAll(tasks);
    }

    private async Task ApplyAsync(string channel, Func<bool> wanted)
    {
        var want = wanted();
        var have = _queues.TryGetValue(channel, out var queue);
        if (!want)
        {
            _missing.TryRemove(channel, out _);
        }
        try
        {
            if (want && !have)
            {
                if (_subscriber() is not { } subscriber)
                {
                    _missing[channel] = wanted;
                    return;
                }
                await SubscribeNowAsync(subscriber, channel).ConfigureAwait(false);
            }
            else if (!want && have)
            {
                _queues.TryRemove(channel, out _);
                await queue!.UnsubscribeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Tried again when the connection comes back (the adapter reconciles every channel then), or by the
            // adapter's resubscribe watchdog, which counts a wanted channel left unsubscribed as deaf.
            if (want)
            {
                _missing[channel] = wanted;
            }
            _onFailure(channel, ex);
        }
    }

    private async Task RenewNowAsync(string channel)
    {
        if (!_queues.TryGetValue(channel, out var stale) || IsListening(channel) || _subscriber() is not { } subscriber)
        {
            return;
        }
        // Dropped before subscribing again: it is connected nowhere, so nothing arrives on it, and the client forgets
        // the subscription, so the new one is a fresh SSUBSCRIBE to the slot's owner now, not a second reader of the
        // stale one (which would also see every message twice once it came back).
        _queues.TryRemove(channel, out _);
        try
        {
            // Its SUNSUBSCRIBE, if any, goes to a server that is down: not waited for.
            await stale.UnsubscribeAsync(CommandFlags.FireAndForget).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Only control flow: the client has forgotten the subscription all the same.
        }
        try
        {
            await SubscribeNowAsync(subscriber, channel).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The channel is then not subscribed: deaf until the adapter's next attempt subscribes whatever is wanted
            // and missing. It was wanted when renewed; a later change that no longer wants it takes it off.
            _missing[channel] = static () => true;
            _onFailure(channel, ex);
        }
    }

    private async Task SubscribeNowAsync(ISubscriber subscriber, string channel)
    {
        var queue = await subscriber.SubscribeAsync(RedisChannel.Sharded(channel)).ConfigureAwait(false);
        queue.OnMessage(m => _onMessage(channel, ((byte[]?)m.Message) ?? []));
        _queues[channel] = queue;
        _missing.TryRemove(channel, out _);
    }

    private Task Enqueue(Func<Task> change)
    {
        lock (_gate)
        {
            _tail = _tail.ContinueWith(_ => change(), TaskScheduler.Default).Unwrap();
            return _tail;
        }
    }
}
