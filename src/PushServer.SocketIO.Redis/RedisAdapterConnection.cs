using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis;

/// <summary>
/// The node's one connection to Redis, shared by the adapters of every namespace. It never fails the host: when
/// Redis is unreachable at start-up or goes away, the node keeps serving its own clients, the connection retries
/// by itself and resubscribes, and each change of state is logged once. <see cref="IsConnected"/> is the readiness
/// signal (see <see cref="RedisAdapterHealthCheck"/>).
/// </summary>
public sealed partial class RedisAdapterConnection : IAsyncDisposable
{
    // How often a lost connection is retried: short, so a node rejoins the cluster soon after Redis is back.
    private static readonly TimeSpan ReconnectInterval = TimeSpan.FromMilliseconds(500);

    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Task<ConnectionMultiplexer>? _connecting;
    private ConnectionMultiplexer? _multiplexer;
    private int _state = -1; // -1 not yet known, 0 disconnected, 1 connected
    private int _disposed;

    /// <summary>Creates the connection; it is opened on first use. Normally done by DI.</summary>
    public RedisAdapterConnection(IOptions<RedisAdapterOptions> options, ILogger<RedisAdapterConnection> logger)
    {
        Options = options.Value;
        _logger = logger;
    }

    /// <summary>The adapter settings, read once.</summary>
    public RedisAdapterOptions Options { get; }

    /// <summary>
    /// True while both the command and the subscription connections to Redis are up, so broadcasts reach the other
    /// nodes. False before the first connection and while Redis is unreachable: the node then serves its own clients only.
    /// </summary>
    public bool IsConnected => _multiplexer is { } m && m.IsConnected && m.GetSubscriber().IsConnected();

    /// <summary>Raised on each change of <see cref="IsConnected"/>, with the new value.</summary>
    public event Action<bool>? ConnectionStateChanged;

    internal IConnectionMultiplexer? Multiplexer => _multiplexer;

    /// <summary>
    /// Opens the connection on first call and returns it, connected or not: when Redis is unreachable the connection
    /// keeps retrying in the background.
    /// </summary>
    public Task<IConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            _connecting ??= OpenAsync();
        }
        return Cast(_connecting.WaitAsync(cancellationToken));

        static async Task<IConnectionMultiplexer> Cast(Task<ConnectionMultiplexer> task) => await task.ConfigureAwait(false);
    }

    private async Task<ConnectionMultiplexer> OpenAsync()
    {
        RedisConfiguration.TryParse(Options.Configuration, out var config, out _);
        config ??= new ConfigurationOptions();
        config.AbortOnConnectFail = false;
        config.ReconnectRetryPolicy = new LinearRetry((int)ReconnectInterval.TotalMilliseconds);
        config.ClientName ??= "pushserver";
        var endpoint = string.Join(",", config.EndPoints.Select(e => e.ToString()));

        var multiplexer = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
        multiplexer.ConnectionFailed += (_, _) => UpdateState(endpoint);
        multiplexer.ConnectionRestored += (_, _) => UpdateState(endpoint);
        _multiplexer = multiplexer;
        UpdateState(endpoint);
        return multiplexer;
    }

    private void UpdateState(string endpoint)
    {
        var connected = IsConnected;
        var now = connected ? 1 : 0;
        var before = Interlocked.Exchange(ref _state, now);
        if (before == now || _disposed != 0)
        {
            return;
        }
        switch ((before, now))
        {
            case (-1, 1):
                Log.Connected(_logger, endpoint);
                break;
            case (-1, 0):
                Log.Unreachable(_logger, endpoint);
                break;
            case (1, 0):
                Log.ConnectionLost(_logger, endpoint);
                break;
            default:
                Log.ConnectionRestored(_logger, endpoint);
                break;
        }
        ConnectionStateChanged?.Invoke(connected);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (_multiplexer is { } multiplexer)
        {
            await multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = RedisEventIds.Connected, Level = LogLevel.Information,
            Message = "Redis adapter connected to {Endpoint}")]
        public static partial void Connected(ILogger logger, string endpoint);

        [LoggerMessage(EventId = RedisEventIds.Unreachable, Level = LogLevel.Warning,
            Message = "Redis at {Endpoint} is unreachable: serving this node's clients only, retrying in the background")]
        public static partial void Unreachable(ILogger logger, string endpoint);

        [LoggerMessage(EventId = RedisEventIds.ConnectionLost, Level = LogLevel.Warning,
            Message = "Lost the connection to Redis at {Endpoint}: serving this node's clients only, reconnecting")]
        public static partial void ConnectionLost(ILogger logger, string endpoint);

        [LoggerMessage(EventId = RedisEventIds.ConnectionRestored, Level = LogLevel.Information,
            Message = "Reconnected to Redis at {Endpoint}: cluster delivery resumed")]
        public static partial void ConnectionRestored(ILogger logger, string endpoint);
    }
}
