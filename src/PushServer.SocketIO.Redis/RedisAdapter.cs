using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Redis.Cluster;
using PushServer.SocketIO.Redis.Protocol;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis;

/// <summary>
/// The adapter of one namespace in a Redis cluster, speaking @socket.io/redis-adapter 8.x's protocol, so PushServer
/// nodes, Node socket.io nodes and @socket.io/redis-emitter publishers share rooms and broadcasts. Local delivery is
/// the in-memory adapter's; every operation not flagged <c>Local</c> is also published for the other nodes. Without
/// Redis the node serves its own clients and says so in each result.
/// </summary>
public sealed partial class RedisAdapter : ClusterAdapter
{
    private const string UidAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly RedisAdapterConnection _connection;
    private readonly RedisAdapterOptions _options;
    private readonly ILogger _logger;
    private readonly string _channel;
    private readonly string _requestChannel;
    private readonly string _responseChannel;
    private readonly string _specificResponseChannel;
    private readonly List<ChannelMessageQueue> _queues = [];
    private readonly SemaphoreSlim _subscribeLock = new(1, 1);
    private readonly TaskCompletionSource _subscribedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _subscribed;
    private int _disposed;

    /// <summary>Creates the adapter of <paramref name="nsp"/>; normally done by <see cref="RedisAdapterFactory"/>.</summary>
    public RedisAdapter(SocketIONamespace nsp, RedisAdapterConnection connection, ILogger<RedisAdapter> logger)
        : base(nsp, NewId(), logger)
    {
        _connection = connection;
        _options = connection.Options;
        _logger = logger;
        var prefix = _options.KeyPrefix;
        _channel = prefix + "#" + nsp.Name + "#";
        _requestChannel = prefix + "-request#" + nsp.Name + "#";
        _responseChannel = prefix + "-response#" + nsp.Name + "#";
        _specificResponseChannel = _responseChannel + Uid + "#";
    }

    /// <summary>True while Redis is reachable and this namespace's channels are subscribed.</summary>
    public bool IsConnected => _subscribed && _connection.IsConnected;

    /// <summary>Completes once this namespace's channels are subscribed for the first time (Redis reached).</summary>
    public Task WaitUntilSubscribedAsync(CancellationToken cancellationToken = default) => _subscribedSignal.Task.WaitAsync(cancellationToken);

    /// <inheritdoc />
    public override async ValueTask InitAsync(CancellationToken cancellationToken)
    {
        _connection.ConnectionStateChanged += OnConnectionStateChanged;
        await _connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await EnsureSubscribedAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override void Broadcast(BroadcastPacket packet, BroadcastOptions options)
    {
        if (!options.Flags.Local && TryGetConnected(out var redis))
        {
            var message = RedisMessageCodec.EncodeBroadcast(Uid, packet, options, Namespace.Server.SerializerOptions);
            Publish(redis, BroadcastChannel(options), message);
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
        var message = RedisMessageCodec.EncodeBroadcast(Uid, packet, options, Namespace.Server.SerializerOptions);
        var local = BroadcastLocally(packet, options);
        if (!TryGetConnected(out var redis))
        {
            return new BroadcastResult(local, BroadcastReach.ThisNodeOnlyClusterUnavailable);
        }
        try
        {
            var receivers = await redis.GetSubscriber()
                .PublishAsync(RedisChannel.Literal(BroadcastChannel(options)), message).WaitAsync(cancellationToken).ConfigureAwait(false);
            // PUBLISH counts every subscriber, this node's own pattern subscription included.
            return new BroadcastResult(local, BroadcastReach.Cluster, (int)Math.Max(0, receivers - (_subscribed ? 1 : 0)));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Log.PublishFailed(_logger, Namespace.Name, ex);
            return new BroadcastResult(local, BroadcastReach.ThisNodeOnlyClusterUnavailable);
        }
    }

    /// <inheritdoc />
    public override Task<int> ServerCountAsync(CancellationToken cancellationToken) => NodeCountAsync(cancellationToken);

    /// <inheritdoc />
    protected override bool CanPublish => TryGetConnected(out _);

    /// <inheritdoc />
    protected override TimeSpan RequestsTimeout => _options.RequestsTimeout;

    /// <inheritdoc />
    protected override TimeProvider Time => Namespace.Server.TimeProvider;

    /// <inheritdoc />
    protected override string NewRequestId() => NewId();

    /// <inheritdoc />
    protected override void PublishBroadcastWithAck(string requestId, BroadcastPacket packet, BroadcastOptions options) =>
        PublishTo(_requestChannel, RedisMessageCodec.EncodeBroadcastRequest(Uid, requestId, packet, options, Namespace.Server.SerializerOptions));

    /// <inheritdoc />
    protected override void PublishSocketsJoin(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        PublishRequest(w =>
        {
            WriteRequestHeader(w, RedisRequestType.RemoteJoin, null);
            RedisMessageCodec.WriteJsonOptions(w, options);
            RedisMessageCodec.WriteJsonArray(w, "rooms", rooms);
        });

    /// <inheritdoc />
    protected override void PublishSocketsLeave(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        PublishRequest(w =>
        {
            WriteRequestHeader(w, RedisRequestType.RemoteLeave, null);
            RedisMessageCodec.WriteJsonOptions(w, options);
            RedisMessageCodec.WriteJsonArray(w, "rooms", rooms);
        });

    /// <inheritdoc />
    protected override void PublishDisconnectSockets(BroadcastOptions options, bool close) =>
        PublishRequest(w =>
        {
            WriteRequestHeader(w, RedisRequestType.RemoteDisconnect, null);
            RedisMessageCodec.WriteJsonOptions(w, options);
            w.WriteBoolean("close", close);
        });

    /// <inheritdoc />
    protected override void PublishServerSideEmit(string eventName, IReadOnlyList<object?> args) =>
        PublishRequest(w =>
        {
            WriteRequestHeader(w, RedisRequestType.ServerSideEmit, null);
            WriteEventData(w, eventName, args);
        });

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _connection.ConnectionStateChanged -= OnConnectionStateChanged;
        ChannelMessageQueue[] queues;
        lock (_queues)
        {
            queues = [.. _queues];
            _queues.Clear();
        }
        foreach (var queue in queues)
        {
            try
            {
                await queue.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                // Only control flow: Redis is gone, and the subscription with it.
            }
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Escapes the glob characters of Redis patterns.</summary>
    private static string Glob(string literal)
    {
        var builder = new System.Text.StringBuilder(literal.Length);
        foreach (var c in literal)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                builder.Append('\\');
            }
            builder.Append(c);
        }
        return builder.ToString();
    }

    private static string NewId() => RandomNumberGenerator.GetString(UidAlphabet, 6);

    private string BroadcastChannel(BroadcastOptions options) =>
        options.Rooms.Count == 1 ? _channel + options.Rooms.First() + "#" : _channel;

    private bool TryGetConnected(out IConnectionMultiplexer redis)
    {
        redis = _connection.Multiplexer!;
        return redis is not null && _connection.IsConnected;
    }

    private void Publish(IConnectionMultiplexer redis, string channel, byte[] message)
    {
        try
        {
            redis.GetSubscriber().Publish(RedisChannel.Literal(channel), message, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Log.PublishFailed(_logger, Namespace.Name, ex);
        }
    }

    private void PublishRequest(Action<Utf8JsonWriter> body)
    {
        if (TryGetConnected(out var redis))
        {
            Publish(redis, _requestChannel, RedisMessageCodec.WriteJson(body));
        }
    }

    private void WriteRequestHeader(Utf8JsonWriter writer, RedisRequestType type, string? requestId)
    {
        writer.WriteString("uid", Uid);
        if (requestId is not null)
        {
            writer.WriteString("requestId", requestId);
        }
        writer.WriteNumber("type", (int)type);
    }

    private void WriteEventData(Utf8JsonWriter writer, string eventName, IReadOnlyList<object?> args)
    {
        writer.WriteStartArray("data");
        writer.WriteStringValue(eventName);
        foreach (var arg in args)
        {
            PushServer.SocketIO.Protocol.SocketIOValueWriter.WriteValue(writer, arg, Namespace.Server.SerializerOptions);
        }
        writer.WriteEndArray();
    }

    private void OnConnectionStateChanged(bool connected)
    {
        if (connected && !_subscribed)
        {
            _ = EnsureSubscribedAsync();
        }
    }

    private async Task EnsureSubscribedAsync()
    {
        await _subscribeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_subscribed || _disposed != 0 || _connection.Multiplexer is not { } redis || !_connection.IsConnected)
            {
                return;
            }
            var subscriber = redis.GetSubscriber();
            // Every channel of this namespace arrives through one pattern subscription, so one ordered queue sees them in
            // the order they were published: a REMOTE_JOIN on the request channel is applied before a broadcast to that
            // room that followed it on the room's channel, as on a Node node's single event loop.
            var all = await subscriber.SubscribeAsync(RedisChannel.Pattern(Glob(_options.KeyPrefix) + "*#" + Glob(Namespace.Name) + "#*"))
                .ConfigureAwait(false);
            all.OnMessage(m => OnMessage(m.Channel.ToString(), m.Message));
            var queues = new List<ChannelMessageQueue> { all };
            // The request and response channels are also subscribed by name, as the Node adapter does: PUBSUB NUMSUB of
            // the request channel is how every node counts the cluster, and PUBSUB CHANNELS lists the per-node response
            // channels. Their messages are read from the pattern subscription above, so these queues are only drained.
            foreach (var channel in new[] { _requestChannel, _responseChannel, _specificResponseChannel })
            {
                var queue = await subscriber.SubscribeAsync(RedisChannel.Literal(channel)).ConfigureAwait(false);
                queue.OnMessage(static _ => { });
                queues.Add(queue);
            }
            lock (_queues)
            {
                _queues.AddRange(queues);
            }
            _subscribed = true;
            _subscribedSignal.TrySetResult();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The connection state handler tries again when Redis is back.
            Log.SubscribeFailed(_logger, Namespace.Name, ex);
        }
        finally
        {
            _subscribeLock.Release();
        }
    }
}
