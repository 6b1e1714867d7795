using System.Text.Json;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Redis.Protocol;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis;

public sealed partial class RedisAdapter
{
    /// <inheritdoc />
    public override async Task<ClusterResult<IReadOnlyList<RemoteSocket>>> FetchSocketsFromClusterAsync(
        BroadcastOptions options, CancellationToken cancellationToken)
    {
        var sockets = FetchLocalSockets(options);
        if (options.Flags.Local)
        {
            return ClusterResult<IReadOnlyList<RemoteSocket>>.Local(sockets);
        }
        var outcome = await AskClusterAsync(RedisRequestType.RemoteFetch, w => RedisMessageCodec.WriteJsonOptions(w, options),
            options.Flags.Timeout, cancellationToken).ConfigureAwait(false);
        foreach (var response in outcome.Responses)
        {
            if (response.TryGetProperty("sockets", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (RemoteSocketJson.TryRead(this, item, out var socket))
                    {
                        sockets.Add(socket);
                    }
                }
            }
        }
        return outcome.ToResult<IReadOnlyList<RemoteSocket>>(sockets);
    }

    /// <inheritdoc />
    public override async Task<ClusterResult<IReadOnlySet<string>>> AllRoomsFromClusterAsync(CancellationToken cancellationToken)
    {
        var rooms = LocalRooms();
        var outcome = await AskClusterAsync(RedisRequestType.AllRooms, null, null, cancellationToken).ConfigureAwait(false);
        foreach (var response in outcome.Responses)
        {
            rooms.UnionWith(RedisMessageCodec.ToSet(response.TryGetProperty("rooms", out var list) ? list : default));
        }
        return outcome.ToResult<IReadOnlySet<string>>(rooms);
    }

    /// <inheritdoc />
    public override async Task<ClusterResult<IReadOnlyList<JsonElement>>> ServerSideEmitWithAckAsync(
        string eventName, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        var outcome = await AskClusterAsync(RedisRequestType.ServerSideEmit, w => WriteEventData(w, eventName, args), null, cancellationToken)
            .ConfigureAwait(false);
        var answers = new List<JsonElement>(outcome.Responses.Count);
        foreach (var response in outcome.Responses)
        {
            answers.Add(response.TryGetProperty("data", out var data) ? data : default);
        }
        return outcome.ToResult<IReadOnlyList<JsonElement>>(answers);
    }

    /// <summary>
    /// Publishes a request to every other node and waits, at most <paramref name="timeout"/> (the request timeout when
    /// null), for one answer each. The number of nodes is Redis's count of subscribers to the request channel
    /// (<c>PUBSUB NUMSUB</c>), this node included.
    /// </summary>
    private async Task<QueryOutcome> AskClusterAsync(
        RedisRequestType type, Action<Utf8JsonWriter>? body, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (!TryGetConnected(out var redis))
        {
            return QueryOutcome.Unreachable;
        }
        int expected;
        try
        {
            expected = await CountSubscribersAsync(redis).ConfigureAwait(false) - 1;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.RequestFailed(_logger, Namespace.Name, ex);
            return QueryOutcome.Unreachable;
        }
        if (expected <= 0)
        {
            return QueryOutcome.Alone;
        }

        var requestId = NewId();
        var request = new ClusterRequest(type, expected);
        _requests[requestId] = request;
        try
        {
            var message = RedisMessageCodec.WriteJson(w =>
            {
                WriteRequestHeader(w, type, requestId);
                body?.Invoke(w);
            });
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(_requestChannel), message).ConfigureAwait(false);
            try
            {
                await request.Completed.WaitAsync(timeout ?? _options.RequestsTimeout, Namespace.Server.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Only control flow: the answers so far are the result, and the missing nodes are named below.
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.RequestFailed(_logger, Namespace.Name, ex);
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }

        var (responses, responders, anonymous) = request.Snapshot();
        IReadOnlyList<string> missing = [];
        if (responses.Count < expected)
        {
            Log.ClusterQueryIncomplete(_logger, type.ToString(), Namespace.Name, responses.Count, expected);
            missing = anonymous == 0 ? await FindSilentNodesAsync(redis, responders).ConfigureAwait(false) : [];
        }
        return new QueryOutcome(responses, expected, true, missing);
    }

    private async Task<int> NodeCountAsync(CancellationToken cancellationToken)
    {
        if (!TryGetConnected(out var redis))
        {
            return 1;
        }
        try
        {
            return Math.Max(1, await CountSubscribersAsync(redis).WaitAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.RequestFailed(_logger, Namespace.Name, ex);
            return 1;
        }
    }

    private async Task<int> CountSubscribersAsync(IConnectionMultiplexer redis)
    {
        var result = await redis.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", _requestChannel).ConfigureAwait(false);
        var items = (RedisResult[])result!;
        return items.Length >= 2 ? (int)items[1] : 0;
    }

    /// <summary>
    /// Names the nodes that did not answer: every node subscribes to its own response channel
    /// (<c>socket.io-response#/#uid#</c>), so <c>PUBSUB CHANNELS</c> lists them all. Only used when every answer
    /// carried its node's id (Node nodes do not send one), so a node that answered is never named.
    /// </summary>
    private async Task<IReadOnlyList<string>> FindSilentNodesAsync(IConnectionMultiplexer redis, HashSet<string> responders)
    {
        try
        {
            var result = await redis.GetDatabase().ExecuteAsync("PUBSUB", "CHANNELS", _responseChannel + "*").ConfigureAwait(false);
            var silent = new List<string>();
            foreach (var item in (RedisResult[])result!)
            {
                var channel = (string?)item;
                if (channel is null || channel.Length <= _responseChannel.Length + 1 || !channel.EndsWith('#'))
                {
                    continue;
                }
                var uid = channel[_responseChannel.Length..^1];
                if (uid != Uid && !responders.Contains(uid))
                {
                    silent.Add(uid);
                }
            }
            silent.Sort(StringComparer.Ordinal);
            return silent;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.RequestFailed(_logger, Namespace.Name, ex);
            return [];
        }
    }

    private sealed record QueryOutcome(List<JsonElement> Responses, int Expected, bool Reachable, IReadOnlyList<string> Missing)
    {
        public static QueryOutcome Unreachable => new([], 0, false, []);

        public static QueryOutcome Alone => new([], 0, true, []);

        public ClusterResult<T> ToResult<T>(T value) => new(value, Expected, Math.Min(Responses.Count, Expected), Reachable, Missing);
    }
}
