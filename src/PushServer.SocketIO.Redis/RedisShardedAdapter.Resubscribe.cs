using PushServer.SocketIO.Redis.Sharded;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis;

public sealed partial class RedisShardedAdapter
{
    // How many of the deaf channels a log line names; in the dynamic modes there may be one per room.
    private const int LoggedChannels = 5;

    /// <summary>The channels this namespace wants and does not listen to now: its own two, and its rooms' in the dynamic modes.</summary>
    private List<string> DeafChannels()
    {
        var deaf = _subscriptions.DeafChannels().ToList();
        foreach (var channel in (ReadOnlySpan<string>)[_channel, _responseChannel])
        {
            // Not subscribed at all (a subscription that failed while Redis stayed reachable) is deaf too.
            if (!deaf.Contains(channel) && !_subscriptions.IsListening(channel))
            {
                deaf.Add(channel);
            }
        }
        return deaf;
    }

    /// <summary>
    /// Whether any wanted channel is deaf now; the watchdog asks every second, so it stops at the first one rather than
    /// listing them all (in the dynamic modes there is a channel per room).
    /// </summary>
    private bool HasDeafChannel() =>
        !_subscriptions.IsListening(_channel) || !_subscriptions.IsListening(_responseChannel) || _subscriptions.DeafChannels().Any();

    /// <summary>
    /// Called by the watchdog when channels stayed deaf while Redis was reachable: the client's slot map may still name
    /// a master that is gone. Reading the topology again makes the client re-send, by itself, each subscription that is
    /// not connected; each channel still deaf after that is dropped and subscribed again, and whatever is wanted and not
    /// subscribed at all is subscribed.
    /// </summary>
    private async Task ResubscribeAsync(int attempt, TimeSpan deafFor)
    {
        if (_disposed != 0 || _connection.Multiplexer is not { } redis || DeafChannels() is not { Count: > 0 } deaf)
        {
            return;
        }
        Log.ResubscribeForced(_logger, Namespace.Name, deaf.Count,
            string.Join(", ", deaf.Take(LoggedChannels)) + (deaf.Count > LoggedChannels ? ", ..." : ""), deafFor, attempt);
        try
        {
            // False when a reconfiguration of the client's own is under way; the renewals below then follow the map it
            // reads, or the next attempt does.
            await redis.ConfigureAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Log.ResubscribeFailed(_logger, Namespace.Name, ex);
            return;
        }
        await Task.WhenAll(deaf.Select(_subscriptions.RenewAsync)).ConfigureAwait(false);
        await SubscribeAllAsync().ConfigureAwait(false);
    }
}
