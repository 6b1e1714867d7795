using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PushServer.EngineIO.Routing;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis.Routing;

/// <summary>
/// The cluster's node directory kept in Redis, for <see cref="ClusterSessionRouter"/>: one hash,
/// <c>{KeyPrefix}#pushserver#nodes</c>, whose fields are node tags and whose values are
/// <c>{expiry in Unix ms}|{base URL}</c>. Each node rewrites its own entry every <see cref="RefreshInterval"/> with an
/// expiry of <see cref="EntryLifetime"/>, so a node that died without saying so drops out within that time, and removes
/// it when it stops. Lookups are answered from a snapshot of the whole hash, read again on a miss (at most once per
/// <see cref="MissRefreshInterval"/>, so forged sids cannot turn into a flood of Redis reads) and with each refresh.
/// </summary>
public sealed partial class RedisNodeDirectory : INodeDirectory, IAsyncDisposable
{
    /// <summary>How often a node rewrites its entry.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long an entry stands without being rewritten: three refreshes, so one slow round trip drops nothing.</summary>
    public static readonly TimeSpan EntryLifetime = TimeSpan.FromSeconds(30);

    /// <summary>The least time between two reads of the hash caused by unknown tags.</summary>
    public static readonly TimeSpan MissRefreshInterval = TimeSpan.FromSeconds(1);

    private readonly RedisAdapterConnection _connection;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RedisKey _key;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private IReadOnlyDictionary<string, Uri> _snapshot = new Dictionary<string, Uri>();
    // When a miss last caused a read (Unix ms, read and written whole through Volatile). The regular refreshes do not
    // count: a miss just after one must still read, or a node that started within the second would go unfound.
    private long _lastMissRead = long.MinValue;
    private Task? _refreshing;
    private string? _ownTag;

    /// <summary>Creates the directory on <paramref name="connection"/>; it reads on first lookup and writes once <see cref="Start"/> is called.</summary>
    public RedisNodeDirectory(RedisAdapterConnection connection, TimeProvider? time = null, ILogger<RedisNodeDirectory>? logger = null)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _key = KeyFor(connection.Options.KeyPrefix);
    }

    /// <summary>The Redis key of the directory of the cluster using <paramref name="keyPrefix"/>.</summary>
    public static string KeyFor(string keyPrefix) => keyPrefix + "#pushserver#nodes";

    /// <summary>
    /// Publishes this node as <paramref name="nodeTag"/>, reachable at <paramref name="baseUrl"/> (scheme, host and port of
    /// its Engine.IO listener, as the other nodes can reach it), now and every <see cref="RefreshInterval"/> until disposed.
    /// </summary>
    public void Start(string nodeTag, Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (_ownTag is not null)
        {
            throw new InvalidOperationException("The directory publishes one node, once.");
        }
        _ownTag = nodeTag;
        var entry = baseUrl.GetLeftPart(UriPartial.Authority);
        _refreshing = RefreshLoopAsync(nodeTag, entry, _stopping.Token);
    }

    /// <inheritdoc />
    public async ValueTask<Uri?> FindAsync(string nodeTag, CancellationToken cancellationToken)
    {
        if (_snapshot.TryGetValue(nodeTag, out var known))
        {
            return known;
        }
        if (!MissMayRead())
        {
            return null;
        }
        await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another lookup may have read the hash while this one waited.
            if (MissMayRead())
            {
                await ReadAfterMissAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _reading.Release();
        }
        return _snapshot.TryGetValue(nodeTag, out var found) ? found : null;
    }

    private async Task RefreshLoopAsync(string nodeTag, string baseUrl, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(RefreshInterval, _time);
        do
        {
            try
            {
                var expiry = (_time.GetUtcNow() + EntryLifetime).ToUnixTimeMilliseconds();
                var db = (await _connection.ConnectAsync(stopping).ConfigureAwait(false)).GetDatabase();
                await db.HashSetAsync(_key, nodeTag, string.Create(CultureInfo.InvariantCulture, $"{expiry}|{baseUrl}")).ConfigureAwait(false);
                await ReadSnapshotAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Redis is away; the connection logs that once. Entries stand until they expire, so nothing is lost yet.
                Log.RefreshFailed(_logger, ex);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
        while (await WaitAsync(timer, stopping).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private bool MissMayRead()
    {
        var last = Volatile.Read(ref _lastMissRead);
        return last == long.MinValue
            || _time.GetUtcNow().ToUnixTimeMilliseconds() - last >= (long)MissRefreshInterval.TotalMilliseconds;
    }

    /// <summary>Reads the hash for a lookup that missed.</summary>
    /// <remarks>
    /// The read counts as made once it is done, not when it starts: a lookup that misses while a read is under way
    /// waits for that read (on the lock in <see cref="FindAsync"/>) and looks at its snapshot, instead of being
    /// answered "unknown" because a read began less than <see cref="MissRefreshInterval"/> ago. Otherwise the first
    /// burst of requests for a new node's sessions would all but one be refused.
    /// </remarks>
    private async Task ReadAfterMissAsync()
    {
        try
        {
            await ReadSnapshotAsync().ConfigureAwait(false);
        }
        finally
        {
            // A failed read counts too, so an unreachable Redis is not asked again on every miss.
            Volatile.Write(ref _lastMissRead, _time.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }

    /// <summary>Reads the whole hash into a new snapshot, leaving out (and deleting) expired entries.</summary>
    private async Task ReadSnapshotAsync()
    {
        var startedAt = _time.GetUtcNow();
        var db = (await _connection.ConnectAsync().ConfigureAwait(false)).GetDatabase();
        HashEntry[] entries;
        try
        {
            entries = await db.HashGetAllAsync(_key).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.RefreshFailed(_logger, ex);
            return;
        }
        var now = startedAt.ToUnixTimeMilliseconds();
        var snapshot = new Dictionary<string, Uri>(entries.Length, StringComparer.Ordinal);
        List<RedisValue>? expired = null;
        foreach (var entry in entries)
        {
            if (TryParse(entry.Value.ToString(), out var expiry, out var url) && expiry > now)
            {
                snapshot[entry.Name.ToString()] = url;
            }
            else
            {
                (expired ??= []).Add(entry.Name);
            }
        }
        _snapshot = snapshot;
        if (expired is not null)
        {
            // Any node may tidy up: a field that is expired for one is expired for all (clocks agreeing within seconds).
            _ = db.HashDeleteAsync(_key, [.. expired], CommandFlags.FireAndForget);
        }
    }

    private static bool TryParse(string value, out long expiry, out Uri url)
    {
        expiry = 0;
        url = null!;
        var bar = value.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0 || !long.TryParse(value.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out expiry))
        {
            return false;
        }
        return Uri.TryCreate(value[(bar + 1)..], UriKind.Absolute, out url!) && url.Scheme is "http" or "https";
    }

    /// <summary>Stops refreshing and removes this node's entry, so no node relays to it any longer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_refreshing is { } refreshing)
        {
            await refreshing.ConfigureAwait(false);
        }
        if (_ownTag is { } tag && _connection.IsConnected)
        {
            try
            {
                var db = (await _connection.ConnectAsync().ConfigureAwait(false)).GetDatabase();
                await db.HashDeleteAsync(_key, tag).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Log.RefreshFailed(_logger, ex); // the entry expires by itself
            }
        }
        // _reading is left undisposed: a lookup may still be waiting on it, and it holds no wait handle.
        _stopping.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = RedisEventIds.NodeDirectoryFailed, Level = LogLevel.Debug,
            Message = "The node directory in Redis could not be read or written; entries stand until they expire")]
        public static partial void RefreshFailed(ILogger logger, Exception exception);
    }
}
