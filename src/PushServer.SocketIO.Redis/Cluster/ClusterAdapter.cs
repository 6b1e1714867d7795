// The cluster machinery both Redis adapters share, in the spirit of socket.io-adapter's ClusterAdapter: this class
// owns requests and their answers, broadcast acknowledgements, fetchSockets, socketsJoin/Leave, disconnectSockets and
// server-side emits; a transport only encodes what it is given to publish and feeds decoded messages back in. It has
// no wire format of its own, so a third transport (Postgres, NATS) is one subclass. It lives in the Redis project,
// not in SocketIO's Adapters, because what it treats as "the cluster is unreachable" is Redis's exceptions and its
// log entries are in the Redis event id table; nothing else here is Redis's, so moving it down a layer, when a
// transport without Redis comes, is a move of this folder.
using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PushServer.SocketIO.Adapters;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis.Cluster;

/// <summary>
/// The adapter of one namespace in a cluster of nodes exchanging messages through some transport. Local delivery is
/// the in-memory adapter's; every operation not flagged <c>Local</c> is also published for the other nodes, and
/// questions (fetchSockets, server-side emits with acknowledgements) wait for each node's answer. A subclass publishes
/// the messages it is given in its own wire format and hands incoming ones to the <c>OnRemote…</c> methods.
/// </summary>
public abstract partial class ClusterAdapter : InMemoryAdapter
{
    private readonly ConcurrentDictionary<string, PendingClusterQuery> _queries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AckRequest> _ackRequests = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    /// <summary>Creates the adapter of <paramref name="nsp"/>, known to the other nodes as <paramref name="uid"/>.</summary>
    protected ClusterAdapter(SocketIONamespace nsp, string uid, ILogger logger, bool keepRecoveryLog = true)
        : base(nsp, keepRecoveryLog)
    {
        Uid = uid;
        _logger = logger;
    }

    /// <summary>This node's id in the cluster.</summary>
    public string Uid { get; }

    /// <summary>True when messages can be published now; otherwise the node serves its own clients only.</summary>
    protected abstract bool CanPublish { get; }

    /// <summary>How long a question waits for answers when the caller gives no timeout.</summary>
    protected abstract TimeSpan RequestsTimeout { get; }

    /// <summary>The clock of request timeouts.</summary>
    protected abstract TimeProvider Time { get; }

    /// <summary>A new id for a request, in the transport's format.</summary>
    protected abstract string NewRequestId();

    /// <summary>The nodes to ask a question of, or null when the cluster cannot be reached.</summary>
    protected abstract ValueTask<ClusterAudience?> GetAudienceAsync();

    /// <summary>
    /// The ids of the nodes that did not answer, when the audience was counted rather than named and every answer
    /// named its node. None by default.
    /// </summary>
    protected virtual ValueTask<IReadOnlyList<string>> FindSilentNodesAsync(IReadOnlySet<string> responders) => ValueTask.FromResult<IReadOnlyList<string>>([]);

    /// <summary>Logs that a question could not be published; the caller gets this node's part.</summary>
    protected virtual void LogQueryFailed(Exception exception) => LogRequestFailed(_logger, Namespace.Name, exception);

    [LoggerMessage(EventId = RedisEventIds.RequestFailed, Level = LogLevel.Debug,
        Message = "A cluster request of namespace {Namespace} failed; answering with this node's part")]
    private static partial void LogRequestFailed(ILogger logger, string @namespace, Exception exception);

    /// <summary>Publishes a broadcast whose clients' acknowledgements come back under <paramref name="requestId"/>.</summary>
    protected abstract void PublishBroadcastWithAck(string requestId, BroadcastPacket packet, BroadcastOptions options);

    /// <summary>Publishes socketsJoin: the other nodes' sockets matching <paramref name="options"/> join <paramref name="rooms"/>.</summary>
    protected abstract void PublishSocketsJoin(BroadcastOptions options, IReadOnlyCollection<string> rooms);

    /// <summary>Publishes socketsLeave: the other nodes' sockets matching <paramref name="options"/> leave <paramref name="rooms"/>.</summary>
    protected abstract void PublishSocketsLeave(BroadcastOptions options, IReadOnlyCollection<string> rooms);

    /// <summary>Publishes disconnectSockets for the other nodes' sockets matching <paramref name="options"/>.</summary>
    protected abstract void PublishDisconnectSockets(BroadcastOptions options, bool close);

    /// <summary>Publishes a server-side emit that wants no answer.</summary>
    protected abstract void PublishServerSideEmit(string eventName, IReadOnlyList<object?> args);

    /// <summary>Publishes a question; a failure of the transport surfaces as its exception.</summary>
    protected abstract Task PublishQueryAsync(ClusterQuery query);

    /// <summary>Answers a broadcast with acknowledgements of node <paramref name="requesterUid"/>: how many clients got it here.</summary>
    protected abstract void PublishBroadcastClientCount(string? requesterUid, string requestId, int clientCount);

    /// <summary>Answers a broadcast with acknowledgements of node <paramref name="requesterUid"/>: one client's acknowledgement.</summary>
    protected abstract void PublishBroadcastAck(string? requesterUid, string requestId, SocketIOArgs ack);

    /// <summary>Answers a fetchSockets of node <paramref name="requesterUid"/> with this node's matching sockets.</summary>
    protected abstract void PublishFetchSocketsAnswer(string? requesterUid, string requestId, IReadOnlyList<SocketIOSocket> sockets);

    /// <summary>Answers a server-side emit of node <paramref name="requesterUid"/> with this node's handler's answer.</summary>
    protected abstract void PublishServerSideEmitAnswer(string? requesterUid, string requestId, object? answer);

    /// <summary>The sockets in one node's answer to a <see cref="FetchSocketsQuery"/>, as fed to <see cref="OnQueryAnswer"/>.</summary>
    protected abstract IEnumerable<RemoteSocket> ReadFetchedSockets(object? answer);

    /// <summary>One node's answer to a <see cref="ServerSideEmitQuery"/>, as fed to <see cref="OnQueryAnswer"/>.</summary>
    protected abstract JsonElement ReadServerSideEmitAnswer(object? answer);

    /// <inheritdoc />
    public override void BroadcastWithAck(
        BroadcastPacket packet, BroadcastOptions options, Action<int> clientCountCallback, Action<SocketIOArgs> ack)
    {
        if (!options.Flags.Local && CanPublish)
        {
            var requestId = NewRequestId();
            _ackRequests[requestId] = new AckRequest(clientCountCallback, ack);
            // As in socket.io-adapter, nothing tells when every remote ack is in: the entry goes when the broadcast's own
            // timeout (or the request timeout) has passed.
            var lifetime = options.Flags.Timeout ?? RequestsTimeout;
            _ = Task.Delay(lifetime, Time).ContinueWith(_ => _ackRequests.TryRemove(requestId, out AckRequest? _), TaskScheduler.Default);
            PublishBroadcastWithAck(requestId, packet, options);
        }
        base.BroadcastWithAck(packet, options, clientCountCallback, ack);
    }

    /// <inheritdoc />
    public override void AddSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        // Applied here at once (socket.io-adapter waits for its own message to come back, which never happens while the
        // transport is away); this node then ignores its own message.
        base.AddSockets(options, rooms);
        if (!options.Flags.Local && CanPublish)
        {
            PublishSocketsJoin(options, rooms);
        }
    }

    /// <inheritdoc />
    public override void DelSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        base.DelSockets(options, rooms);
        if (!options.Flags.Local && CanPublish)
        {
            PublishSocketsLeave(options, rooms);
        }
    }

    /// <inheritdoc />
    public override void DisconnectSockets(BroadcastOptions options, bool close)
    {
        if (!options.Flags.Local && CanPublish)
        {
            PublishDisconnectSockets(options, close);
        }
        base.DisconnectSockets(options, close);
    }

    /// <inheritdoc />
    public override void ServerSideEmit(string eventName, IReadOnlyList<object?> args)
    {
        if (CanPublish)
        {
            PublishServerSideEmit(eventName, args);
        }
    }

    /// <inheritdoc />
    public override async Task<ClusterResult<IReadOnlyList<RemoteSocket>>> FetchSocketsFromClusterAsync(
        BroadcastOptions options, CancellationToken cancellationToken)
    {
        var sockets = FetchLocalSockets(options);
        if (options.Flags.Local)
        {
            return ClusterResult<IReadOnlyList<RemoteSocket>>.Local(sockets);
        }
        var outcome = await AskClusterAsync(requestId => new FetchSocketsQuery(requestId, options), options.Flags.Timeout, cancellationToken)
            .ConfigureAwait(false);
        foreach (var answer in outcome.Answers)
        {
            sockets.AddRange(ReadFetchedSockets(answer));
        }
        return outcome.ToResult<IReadOnlyList<RemoteSocket>>(sockets);
    }

    /// <inheritdoc />
    public override async Task<ClusterResult<IReadOnlyList<JsonElement>>> ServerSideEmitWithAckAsync(
        string eventName, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        var outcome = await AskClusterAsync(requestId => new ServerSideEmitQuery(requestId, eventName, args), null, cancellationToken)
            .ConfigureAwait(false);
        var answers = new List<JsonElement>(outcome.Answers.Count);
        foreach (var answer in outcome.Answers)
        {
            answers.Add(ReadServerSideEmitAnswer(answer));
        }
        return outcome.ToResult<IReadOnlyList<JsonElement>>(answers);
    }

    /// <summary>
    /// Publishes a question to the other nodes and waits, at most <paramref name="timeout"/> (the request timeout when
    /// null), for one answer each; the answers that came are the result, and the silent nodes are named when known.
    /// </summary>
    protected async Task<ClusterQueryOutcome> AskClusterAsync(
        Func<string, ClusterQuery> query, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!CanPublish || await GetAudienceAsync().ConfigureAwait(false) is not { } audience)
        {
            return ClusterQueryOutcome.Unreachable;
        }
        if (audience.Count <= 0)
        {
            return ClusterQueryOutcome.Alone;
        }
        var requestId = NewRequestId();
        var question = query(requestId);
        var pending = new PendingClusterQuery(audience);
        _queries[requestId] = pending;
        try
        {
            await PublishQueryAsync(question).ConfigureAwait(false);
            try
            {
                await pending.Completed.WaitAsync(timeout ?? RequestsTimeout, Time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Only control flow: the answers so far are the result, and the silent nodes are named below.
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogQueryFailed(ex);
        }
        finally
        {
            _queries.TryRemove(requestId, out _);
        }

        var (answers, responders, anonymous, missing) = pending.Snapshot();
        IReadOnlyList<string> silent = missing;
        if (pending.KnowsNodes ? missing.Count > 0 : answers.Count < pending.Expected)
        {
            LogQueryIncomplete(_logger, question.Name, Namespace.Name, answers.Count, pending.Expected);
            if (!pending.KnowsNodes)
            {
                silent = anonymous == 0 ? await FindSilentNodesAsync(responders).ConfigureAwait(false) : [];
            }
        }
        return new ClusterQueryOutcome(answers, pending.Expected, true, silent);
    }

    [LoggerMessage(EventId = RedisEventIds.ClusterQueryIncomplete, Level = LogLevel.Information,
        Message = "{Request} of namespace {Namespace}: {Answered} of {Expected} other nodes answered in time")]
    private static partial void LogQueryIncomplete(ILogger logger, string request, string @namespace, int answered, int expected);

    /// <summary>An answer to one of this node's questions, from node <paramref name="uid"/> when it said.</summary>
    protected void OnQueryAnswer(string requestId, string? uid, object? answer)
    {
        if (_queries.TryGetValue(requestId, out var pending))
        {
            pending.Add(uid, answer);
        }
    }

    /// <summary>True when <paramref name="requestId"/> is one of this node's questions still waiting.</summary>
    protected bool IsPendingQuery(string requestId) => _queries.ContainsKey(requestId);

    /// <summary>True when <paramref name="requestId"/> is one of this node's broadcasts still collecting acknowledgements.</summary>
    protected bool IsPendingBroadcastWithAck(string requestId) => _ackRequests.ContainsKey(requestId);

    /// <summary>A node left the cluster: its answers are no longer waited for.</summary>
    protected void OnRemoteNodeGone(string uid)
    {
        foreach (var pending in _queries.Values)
        {
            pending.Forget(uid);
        }
    }

    /// <summary>How many of another node's clients got one of this node's broadcasts with acknowledgements.</summary>
    protected void OnRemoteBroadcastClientCount(string requestId, int clientCount)
    {
        if (_ackRequests.TryGetValue(requestId, out var request))
        {
            request.ClientCountCallback(clientCount);
        }
    }

    /// <summary>Another node's client acknowledged one of this node's broadcasts.</summary>
    protected void OnRemoteBroadcastAck(string requestId, Func<SocketIOArgs> ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        if (_ackRequests.TryGetValue(requestId, out var request))
        {
            request.Ack(ack());
        }
    }

    /// <summary>
    /// Another node's broadcast with acknowledgements: delivered to this node's clients, the count and each
    /// acknowledgement sent back to it.
    /// </summary>
    protected void OnRemoteBroadcastWithAck(string? uid, string requestId, BroadcastPacket packet, BroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (uid == Uid || _ackRequests.ContainsKey(requestId))
        {
            return;
        }
        base.BroadcastWithAck(
            packet,
            options with { Flags = options.Flags with { Local = true } },
            clientCount => PublishBroadcastClientCount(uid, requestId, clientCount),
            ack => PublishBroadcastAck(uid, requestId, ack));
    }

    /// <summary>Another node's socketsJoin, for this node's sockets matching <paramref name="options"/>.</summary>
    protected void OnRemoteSocketsJoin(BroadcastOptions options, IReadOnlyCollection<string> rooms) => base.AddSockets(options, rooms);

    /// <summary>Another node's socketsLeave, for this node's sockets matching <paramref name="options"/>.</summary>
    protected void OnRemoteSocketsLeave(BroadcastOptions options, IReadOnlyCollection<string> rooms) => base.DelSockets(options, rooms);

    /// <summary>Another node's disconnectSockets, for this node's sockets matching <paramref name="options"/>.</summary>
    protected void OnRemoteDisconnectSockets(BroadcastOptions options, bool close) => base.DisconnectSockets(options, close);

    /// <summary>Another node's fetchSockets: answered with this node's sockets matching <paramref name="options"/>.</summary>
    protected void OnRemoteFetchSockets(string? uid, string requestId, BroadcastOptions options) =>
        PublishFetchSocketsAnswer(uid, requestId, CollectSockets(options));

    /// <summary>
    /// Another node's server-side emit, dispatched to this namespace's handlers; with a <paramref name="requestId"/>,
    /// the first answer of a handler goes back to it.
    /// </summary>
    protected void OnRemoteServerSideEmit(string? uid, string? requestId, string eventName, object?[] args)
    {
        Action<object?>? ack = null;
        if (requestId is not null)
        {
            var called = 0;
            ack = answer =>
            {
                // One answer per node, as socket.io-adapter's callback allows.
                if (Interlocked.Exchange(ref called, 1) == 0)
                {
                    PublishServerSideEmitAnswer(uid, requestId, answer);
                }
            };
        }
        Namespace.DispatchServerSideEmit(eventName, args, ack);
    }

    private sealed record AckRequest(Action<int> ClientCountCallback, Action<SocketIOArgs> Ack);
}
