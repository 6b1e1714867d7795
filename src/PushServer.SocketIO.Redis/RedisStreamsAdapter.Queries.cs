using System.Text.Json;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Redis.Protocol;
using PushServer.SocketIO.Redis.Streams;

namespace PushServer.SocketIO.Redis;

public sealed partial class RedisStreamsAdapter
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
        var outcome = await AskClusterAsync(ClusterMessageType.FetchSockets,
            requestId => new MessageData().Add("opts", OptionsData(options)).Add("requestId", requestId), options.Flags.Timeout, cancellationToken)
            .ConfigureAwait(false);
        foreach (var answer in outcome.Answers)
        {
            if (answer?.GetValueOrDefault("sockets") is List<object?> list)
            {
                foreach (var item in list)
                {
                    if (RemoteSocketJson.TryRead(this, PlainValues.ToJsonElement(item, Json), out var socket))
                    {
                        sockets.Add(socket);
                    }
                }
            }
        }
        return outcome.ToResult<IReadOnlyList<RemoteSocket>>(sockets);
    }

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
    public override async Task<ClusterResult<IReadOnlyList<JsonElement>>> ServerSideEmitWithAckAsync(
        string eventName, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        var outcome = await AskClusterAsync(ClusterMessageType.ServerSideEmit,
            requestId => new MessageData().Add("requestId", requestId).Add("packet", new EventArguments(eventName, args)), null, cancellationToken)
            .ConfigureAwait(false);
        var answers = new List<JsonElement>(outcome.Answers.Count);
        foreach (var answer in outcome.Answers)
        {
            answers.Add(PlainValues.ToJsonElement(answer?.GetValueOrDefault("packet"), Json));
        }
        return outcome.ToResult<IReadOnlyList<JsonElement>>(answers);
    }

    /// <summary>
    /// Writes a request for every node alive now and waits, at most <paramref name="timeout"/> (the request timeout when
    /// null), for each to answer. Nodes that stop (ADAPTER_CLOSE, heartbeat timeout) meanwhile are not waited for.
    /// </summary>
    private async Task<QueryOutcome> AskClusterAsync(
        ClusterMessageType type, Func<string, MessageData> data, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (!_cluster.IsReady)
        {
            return QueryOutcome.Unreachable;
        }
        var nodes = LiveNodes();
        if (nodes.Count == 0)
        {
            return QueryOutcome.Alone;
        }
        var requestId = NewRequestId();
        var request = new StreamClusterRequest(nodes);
        _requests[requestId] = request;
        try
        {
            var fields = StreamMessageCodec.Encode(Uid, Namespace.Name, type, data(requestId), Json);
            await _cluster.AppendAsync(fields).ConfigureAwait(false);
            try
            {
                await request.Completed.WaitAsync(timeout ?? _cluster.ConnectionOptions.RequestsTimeout, _cluster.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Only control flow: the answers so far are the result, and the silent nodes are named.
            }
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            Log.AppendFailed(_logger, Namespace.Name, ex);
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }
        var (answers, missing) = request.Snapshot();
        if (missing.Count > 0)
        {
            Log.ClusterQueryIncomplete(_logger, type.ToString(), Namespace.Name, answers.Count, request.Expected);
        }
        return new QueryOutcome(answers, request.Expected, true, missing);
    }

    private sealed record QueryOutcome(List<Dictionary<string, object?>?> Answers, int Expected, bool Reachable, IReadOnlyList<string> Missing)
    {
        public static QueryOutcome Unreachable => new([], 0, false, []);

        public static QueryOutcome Alone => new([], 0, true, []);

        public ClusterResult<T> ToResult<T>(T value) => new(value, Expected, Math.Min(Answers.Count, Expected), Reachable, Missing);
    }
}
