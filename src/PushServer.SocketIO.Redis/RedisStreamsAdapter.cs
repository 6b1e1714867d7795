using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Redis.Cluster;
using PushServer.SocketIO.Redis.Streams;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis;

/// <summary>
/// The adapter of one namespace in a cluster sharing one Redis stream, speaking @socket.io/redis-streams-adapter
/// 0.2.x's format (socket.io-adapter's cluster messages as stream entries), so PushServer nodes and Node socket.io
/// nodes form one cluster. Nodes count each other by heartbeats. Unlike pub/sub, the stream keeps what was written:
/// with connection state recovery on, every stored event's offset is its entry id, sessions are kept in Redis, and a
/// client recovers on any node, also on one started after it disconnected.
/// </summary>
/// <remarks>
/// With recovery on, this node's own stored events are delivered to its clients by the stream reader, like everyone
/// else's, rather than when written: the reader is then the one order in which every event reaches every local
/// client, which is what lets a restore hand over each missed event exactly once (see
/// <see cref="RestoreSessionAsync"/>). The cost is a read's latency on this node's own broadcasts.
/// </remarks>
public sealed partial class RedisStreamsAdapter : ClusterMessageAdapter
{
    private const string EmitterUid = "emitter";

    private readonly RedisStreamsCluster _cluster;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, long> _nodes = new(StringComparer.Ordinal);
    private ITimer? _heartbeat;
    private int _closed;

    /// <summary>Creates the adapter of <paramref name="nsp"/>; normally done by <see cref="RedisStreamsAdapterFactory"/>.</summary>
    public RedisStreamsAdapter(SocketIONamespace nsp, RedisStreamsCluster cluster, ILogger<RedisStreamsAdapter> logger)
        : base(nsp, logger, keepRecoveryLog: false)
    {
        _cluster = cluster;
        _logger = logger;
    }

    /// <summary>True while Redis is reachable and the stream reader is running.</summary>
    public bool IsConnected => _cluster.IsReady;

    private bool Recovers => Namespace.Server.Options.ConnectionStateRecovery is not null;

    /// <inheritdoc />
    public override async ValueTask InitAsync(CancellationToken cancellationToken)
    {
        _cluster.Register(this);
        var interval = _cluster.Options.HeartbeatInterval;
        _heartbeat = _cluster.Time.CreateTimer(static s => ((RedisStreamsAdapter)s!).Publish(ClusterMessageType.Heartbeat, null), this, interval, interval);
        await _cluster.Connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _cluster.WaitUntilPositionedAsync(cancellationToken)
                .WaitAsync(_cluster.ConnectionOptions.RequestsTimeout, _cluster.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Only control flow: Redis is away; the reader positions itself when it is back.
        }
        Publish(ClusterMessageType.InitialHeartbeat, null);
    }

    /// <summary>Completes once the stream reader is running (Redis reached).</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken = default) => _cluster.WaitUntilPositionedAsync(cancellationToken);

    /// <inheritdoc />
    public override void Broadcast(BroadcastPacket packet, BroadcastOptions options)
    {
        var pending = BroadcastAsync(packet, options, CancellationToken.None);
        if (!pending.IsCompleted)
        {
            _cluster.Track(pending.AsTask());
        }
    }

    /// <inheritdoc />
    public override async ValueTask<BroadcastResult> BroadcastAsync(BroadcastPacket packet, BroadcastOptions options, CancellationToken cancellationToken)
    {
        if (options.Flags.Local)
        {
            return new BroadcastResult(BroadcastLocally(packet, options), BroadcastReach.ThisNode);
        }
        var throughStream = Recovers && IsStored(packet, options);
        if (!_cluster.IsReady)
        {
            return new BroadcastResult(BroadcastLocally(packet, options), BroadcastReach.ThisNodeOnlyClusterUnavailable);
        }
        var fields = StreamMessageCodec.Encode(Uid, Namespace.Name, ClusterMessageType.Broadcast, BroadcastData(packet, options, null), Json);
        // Written before anything awaits, so broadcasts made one after the other enter the stream in that order.
        var append = _cluster.AppendAsync(fields);
        var local = throughStream ? 0 : BroadcastLocally(packet, options);
        StreamEntryId id;
        try
        {
            id = await append.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Log.AppendFailed(_logger, Namespace.Name, ex);
            return new BroadcastResult(throughStream ? BroadcastLocally(packet, options) : local, BroadcastReach.ThisNodeOnlyClusterUnavailable);
        }
        if (throughStream)
        {
            local = CollectSockets(options).Count;
            try
            {
                // Returns once this node's clients have it queued, as a local broadcast would.
                await _cluster.WaitForAsync(id).WaitAsync(_cluster.ConnectionOptions.RequestsTimeout, _cluster.Time, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Only control flow: the event is in the stream; the reader delivers it when it catches up.
            }
        }
        return new BroadcastResult(local, BroadcastReach.Cluster, LiveNodes().Count);
    }

    /// <inheritdoc />
    protected override bool CanPublish => _cluster.IsReady;

    /// <inheritdoc />
    protected override TimeSpan RequestsTimeout => _cluster.ConnectionOptions.RequestsTimeout;

    /// <inheritdoc />
    protected override TimeProvider Time => _cluster.Time;

    /// <inheritdoc />
    public override Task<int> ServerCountAsync(CancellationToken cancellationToken) => Task.FromResult(1 + LiveNodes().Count);

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        AnnounceClose();
        _cluster.Unregister(this);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Tells the other nodes this one leaves (socket.io-adapter's ADAPTER_CLOSE), once.</summary>
    internal void AnnounceClose()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        _heartbeat?.Dispose();
        Publish(ClusterMessageType.AdapterClose, null);
    }

    /// <summary>socket.io-adapter's rule for what gets an offset: plain events, neither volatile nor waiting for acks.</summary>
    private static bool IsStored(BroadcastPacket packet, BroadcastOptions options) => packet.AckId < 0 && !options.Flags.Volatile;

    /// <inheritdoc />
    private protected override void Publish(ClusterMessageType type, MessageData? data)
    {
        if (!_cluster.IsReady && type != ClusterMessageType.InitialHeartbeat)
        {
            return;
        }
        NameValueEntry[] fields;
        try
        {
            fields = StreamMessageCodec.Encode(Uid, Namespace.Name, type, data, Json);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            Log.AppendFailed(_logger, Namespace.Name, ex);
            return;
        }
        _ = PublishAsync(fields);
    }

    private async Task PublishAsync(NameValueEntry[] fields)
    {
        try
        {
            await _cluster.AppendAsync(fields).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Log.AppendFailed(_logger, Namespace.Name, ex);
        }
    }
}
