using Microsoft.Extensions.Logging;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Redis.Cluster;
using PushServer.SocketIO.Redis.Sharded;
using PushServer.SocketIO.Redis.Streams;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis;

/// <summary>
/// The adapter of one namespace on Redis sharded pub/sub (Redis 7's SPUBLISH/SSUBSCRIBE), wire-compatible with
/// @socket.io/redis-adapter 8.x's <c>createShardedAdapter</c>, so PushServer nodes and Node socket.io nodes using it
/// form one cluster. On a Redis Cluster a sharded channel lives on the shard owning its slot, so the traffic of
/// different namespaces (and, in the dynamic modes, rooms) is spread over the masters instead of reaching every node
/// of the Redis Cluster as classic pub/sub does. Nodes are counted with <c>PUBSUB SHARDNUMSUB</c>.
/// </summary>
/// <remarks>
/// Channels: <c>prefix#nsp#</c> for broadcasts and requests, <c>prefix#nsp#uid#</c> for the answers to this node's
/// requests, and in the dynamic modes <c>prefix#nsp#room#</c> for a broadcast to exactly one room without
/// acknowledgements (see <see cref="ShardedSubscriptionMode"/>).
/// </remarks>
public sealed partial class RedisShardedAdapter : ClusterMessageAdapter
{
    // The Node adapter's test for "this room is a socket id": its ids are 20 characters.
    private const int SocketIdLength = 20;

    private readonly RedisShardedCluster _cluster;
    private readonly RedisAdapterConnection _connection;
    private readonly ILogger _logger;
    private readonly ShardedSubscriptionMode _mode;
    private readonly string _channel;
    private readonly string _responseChannel;
    private readonly ShardedChannelSubscriptions _subscriptions;
    private readonly TaskCompletionSource _subscribedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ShardedResubscribeWatchdog? _watchdog;
    private int _disposed;

    /// <summary>Creates the adapter of <paramref name="nsp"/>; normally done by <see cref="RedisShardedAdapterFactory"/>.</summary>
    public RedisShardedAdapter(SocketIONamespace nsp, RedisShardedCluster cluster, ILogger<RedisShardedAdapter> logger)
        : base(nsp, logger, keepRecoveryLog: true)
    {
        _cluster = cluster;
        _connection = cluster.Connection;
        _logger = logger;
        _mode = cluster.Options.SubscriptionMode;
        _channel = _connection.Options.KeyPrefix + "#" + nsp.Name + "#";
        _responseChannel = _channel + Uid + "#";
        _subscriptions = new ShardedChannelSubscriptions(
            () => _connection.Multiplexer?.GetSubscriber(), OnMessage, (channel, ex) => Log.SubscribeFailed(_logger, channel, ex));
        if (_mode != ShardedSubscriptionMode.Static)
        {
            RoomCreated += OnRoomChanged;
            RoomDeleted += OnRoomChanged;
        }
    }

    /// <summary>True while Redis is reachable and this namespace's broadcast and response channels are listened to.</summary>
    public bool IsConnected => _connection.IsConnected && _subscriptions.IsListening(_channel) && _subscriptions.IsListening(_responseChannel);

    /// <summary>Completes once this namespace's broadcast and response channels are subscribed for the first time (Redis reached).</summary>
    public Task WaitUntilSubscribedAsync(CancellationToken cancellationToken = default) => _subscribedSignal.Task.WaitAsync(cancellationToken);

    /// <inheritdoc />
    public override async ValueTask InitAsync(CancellationToken cancellationToken)
    {
        _cluster.Register(this);
        _connection.ConnectionStateChanged += OnConnectionStateChanged;
        await _connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await SubscribeAllAsync().ConfigureAwait(false);
        _watchdog = new ShardedResubscribeWatchdog(
            _cluster.Options.ResubscribeAfter, Time, HasDeafChannel, () => _connection.IsConnected, ResubscribeAsync);
    }

    /// <inheritdoc />
    public override void Broadcast(BroadcastPacket packet, BroadcastOptions options)
    {
        if (!options.Flags.Local && CanPublish)
        {
            _ = PublishBroadcastAsync(packet, options);
        }
        BroadcastLocally(packet, options);
    }

    /// <inheritdoc />
    public override async ValueTask<BroadcastResult> BroadcastAsync(BroadcastPacket packet, BroadcastOptions options, CancellationToken cancellationToken)
    {
        if (options.Flags.Local)
        {
            return new BroadcastResult(BroadcastLocally(packet, options), BroadcastReach.ThisNode);
        }
        var publishing = CanPublish ? PublishBroadcastAsync(packet, options) : null;
        var local = BroadcastLocally(packet, options);
        if (publishing is null || await publishing.WaitAsync(cancellationToken).ConfigureAwait(false) is not { } receivers)
        {
            return new BroadcastResult(local, BroadcastReach.ThisNodeOnlyClusterUnavailable);
        }
        return new BroadcastResult(local, BroadcastReach.Cluster, receivers);
    }

    /// <inheritdoc />
    public override async Task<int> ServerCountAsync(CancellationToken cancellationToken) =>
        await GetAudienceAsync().ConfigureAwait(false) is { } audience ? audience.Count + 1 : 1;

    /// <inheritdoc />
    protected override bool CanPublish => _connection.IsConnected && _connection.Multiplexer is not null;

    /// <inheritdoc />
    protected override TimeSpan RequestsTimeout => _connection.Options.RequestsTimeout;

    /// <inheritdoc />
    protected override TimeProvider Time => Namespace.Server.TimeProvider;

    /// <inheritdoc />
    /// <remarks>The nodes are Redis's count of subscribers to the broadcast channel (<c>PUBSUB SHARDNUMSUB</c>), less this one.</remarks>
    protected override async ValueTask<ClusterAudience?> GetAudienceAsync()
    {
        if (!CanPublish)
        {
            return null;
        }
        try
        {
            var subscribers = await RedisPubSubIntrospection.CountShardSubscribersAsync(_connection.Multiplexer!, _channel).ConfigureAwait(false);
            return new ClusterAudience(Math.Max(0, subscribers - 1));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogQueryFailed(ex);
            return null;
        }
    }

    /// <inheritdoc />
    private protected override void Publish(ClusterMessageType type, MessageData? data)
    {
        if (CanPublish)
        {
            _ = PublishLoggedAsync(_channel, type, data);
        }
    }

    /// <inheritdoc />
    /// <remarks>An answer goes to the asking node's own channel, <c>prefix#nsp#uid#</c>.</remarks>
    private protected override void PublishResponse(string? requesterUid, ClusterMessageType type, MessageData data)
    {
        if (CanPublish)
        {
            _ = PublishLoggedAsync(requesterUid is null ? _channel : _channel + requesterUid + "#", type, data);
        }
    }

    /// <inheritdoc />
    private protected override Task PublishAsync(ClusterMessageType type, MessageData data) => SendAsync(_channel, type, data);

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _connection.ConnectionStateChanged -= OnConnectionStateChanged;
        _watchdog?.Dispose();
        RoomCreated -= OnRoomChanged;
        RoomDeleted -= OnRoomChanged;
        _cluster.Unregister(this);
        await _subscriptions.CloseAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes a plain broadcast on the channel the Node adapter would pick; the number of other nodes that got it, or
    /// null when it could not be published.
    /// </summary>
    private async Task<int?> PublishBroadcastAsync(BroadcastPacket packet, BroadcastOptions options)
    {
        var room = RoomChannelOf(options);
        var channel = room is null ? _channel : RoomChannel(room);
        try
        {
            var receivers = await SendAsync(channel, ClusterMessageType.Broadcast, BroadcastData(packet, options, null)).ConfigureAwait(false);
            // SPUBLISH counts this node too when it listens on that channel.
            var self = room is null || HasLocalRoom(room) ? 1 : 0;
            return (int)Math.Max(0, receivers - self);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Log.PublishFailed(_logger, channel, ex);
            return null;
        }
    }

    /// <summary>
    /// The room whose own channel a broadcast travels on, or null for the namespace's channel: in the dynamic modes, a
    /// broadcast to exactly one room (in <see cref="ShardedSubscriptionMode.Dynamic"/>, one that does not look like a
    /// socket id); broadcasts with acknowledgements always use the namespace's channel, as every node must answer.
    /// </summary>
    private string? RoomChannelOf(BroadcastOptions options)
    {
        if (options.Rooms.Count != 1 || _mode == ShardedSubscriptionMode.Static)
        {
            return null;
        }
        var room = options.Rooms.First();
        return _mode == ShardedSubscriptionMode.DynamicPrivate || room.Length != SocketIdLength ? room : null;
    }

    private string RoomChannel(string room) => _channel + room + "#";

    private async Task PublishLoggedAsync(string channel, ClusterMessageType type, MessageData? data)
    {
        try
        {
            await SendAsync(channel, type, data).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException
            or System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            Log.PublishFailed(_logger, channel, ex);
        }
    }

    private Task<long> SendAsync(string channel, ClusterMessageType type, MessageData? data)
    {
        var redis = _connection.Multiplexer ?? throw new RedisException("Redis is not connected");
        var message = ShardedMessageCodec.Encode(Uid, Namespace.Name, type, data, Json);
        return redis.GetSubscriber().PublishAsync(RedisChannel.Sharded(channel), message);
    }
}
