using System.Text.Json;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Redis.Cluster;
using PushServer.SocketIO.Redis.Protocol;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis;

public sealed partial class RedisAdapter
{
    /// <inheritdoc />
    public override async Task<ClusterResult<IReadOnlySet<string>>> AllRoomsFromClusterAsync(CancellationToken cancellationToken)
    {
        var rooms = LocalRooms();
        var outcome = await AskClusterAsync(requestId => new AllRoomsQuery(requestId), null, cancellationToken).ConfigureAwait(false);
        foreach (var answer in outcome.Answers)
        {
            rooms.UnionWith(RedisMessageCodec.ToSet(answer is JsonElement response && response.TryGetProperty("rooms", out var list) ? list : default));
        }
        return outcome.ToResult<IReadOnlySet<string>>(rooms);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The number of nodes is Redis's count of subscribers to the request channel (<c>PUBSUB NUMSUB</c>), this node
    /// included; the nodes are counted, not named.
    /// </remarks>
    protected override async ValueTask<ClusterAudience?> GetAudienceAsync()
    {
        if (!TryGetConnected(out var redis))
        {
            return null;
        }
        try
        {
            return new ClusterAudience(await CountSubscribersAsync(redis).ConfigureAwait(false) - 1);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogQueryFailed(ex);
            return null;
        }
    }

    /// <inheritdoc />
    protected override async Task PublishQueryAsync(ClusterQuery query)
    {
        var (type, body) = query switch
        {
            FetchSocketsQuery fetch => (RedisRequestType.RemoteFetch, (Action<Utf8JsonWriter>?)(w => RedisMessageCodec.WriteJsonOptions(w, fetch.Options))),
            ServerSideEmitQuery emit => (RedisRequestType.ServerSideEmit, w => WriteEventData(w, emit.EventName, emit.Args)),
            AllRoomsQuery => (RedisRequestType.AllRooms, null),
            _ => throw new NotSupportedException(query.Name),
        };
        var message = RedisMessageCodec.WriteJson(w =>
        {
            WriteRequestHeader(w, type, query.RequestId);
            body?.Invoke(w);
        });
        // Asked only while connected (CanPublish); a connection lost since fails the publish, as a Redis error.
        var redis = _connection.Multiplexer ?? throw new RedisException("Redis is not connected");
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(_requestChannel), message).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override IEnumerable<RemoteSocket> ReadFetchedSockets(object? answer)
    {
        if (answer is JsonElement response && response.TryGetProperty("sockets", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (RemoteSocketJson.TryRead(this, item, out var socket))
                {
                    yield return socket;
                }
            }
        }
    }

    /// <inheritdoc />
    protected override JsonElement ReadServerSideEmitAnswer(object? answer) =>
        answer is JsonElement response && response.TryGetProperty("data", out var data) ? data : default;

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
            LogQueryFailed(ex);
            return 1;
        }
    }

    private Task<int> CountSubscribersAsync(IConnectionMultiplexer redis) =>
        RedisPubSubIntrospection.CountSubscribersAsync(redis, _requestChannel);

    /// <summary>
    /// Names the nodes that did not answer: every node subscribes to its own response channel
    /// (<c>socket.io-response#/#uid#</c>), so <c>PUBSUB CHANNELS</c> lists them all. Only asked when every answer
    /// carried its node's id (Node nodes do not send one), so a node that answered is never named.
    /// </summary>
    protected override async ValueTask<IReadOnlyList<string>> FindSilentNodesAsync(IReadOnlySet<string> responders)
    {
        if (!TryGetConnected(out var redis))
        {
            return [];
        }
        try
        {
            var channels = await RedisPubSubIntrospection.ListChannelsAsync(redis, _responseChannel + "*").ConfigureAwait(false);
            var silent = new List<string>();
            foreach (var channel in channels)
            {
                if (channel.Length <= _responseChannel.Length + 1 || !channel.EndsWith('#'))
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
            LogQueryFailed(ex);
            return [];
        }
    }

    /// <summary>@socket.io/redis-adapter's ALL_ROOMS, which socket.io-adapter's cluster messages do not have.</summary>
    private sealed record AllRoomsQuery(string RequestId) : ClusterQuery(RequestId)
    {
        public override string Name => "AllRooms";
    }
}
