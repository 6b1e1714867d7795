using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PushServer.SocketIO.Redis.Streams;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis;

/// <summary>
/// What the Redis Streams adapters of every namespace of this node share: the one stream they write to, the one loop
/// reading it (<see cref="RedisStreamsCluster"/>'s reader, as the Node adapter has one poll loop per server), and the
/// writes still in flight, which are finished before the node lets go of Redis so that a session persisted while
/// draining is really stored.
/// </summary>
public sealed partial class RedisStreamsCluster : IAsyncDisposable
{
    private readonly RedisAdapterConnection _connection;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, RedisStreamsAdapter> _adapters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _pendingWrites = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _startLock = new();
    private Task? _loop;
    private int _disposed;

    /// <summary>Creates the shared part; normally done by DI.</summary>
    public RedisStreamsCluster(
        RedisAdapterConnection connection, IOptions<RedisStreamsAdapterOptions> options, ILogger<RedisStreamsCluster> logger,
        TimeProvider? timeProvider = null)
    {
        _connection = connection;
        Options = options.Value;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        StreamKey = new RedisKey(Options.StreamName);
    }

    /// <summary>The stream settings, read once.</summary>
    public RedisStreamsAdapterOptions Options { get; }

    /// <summary>The connection settings shared with the pub/sub adapter (where Redis is, request timeout).</summary>
    public RedisAdapterOptions ConnectionOptions => _connection.Options;

    /// <summary>True while commands reach Redis and the reader knows where it stands in the stream and reads it.</summary>
    public bool IsReady => _connection.IsConnected && _positioned.Task.IsCompleted && IsReading;

    internal RedisKey StreamKey { get; }

    internal TimeProvider Time => _time;

    internal RedisAdapterConnection Connection => _connection;

    /// <summary>Adds a namespace's adapter; the reader starts with the first one.</summary>
    internal void Register(RedisStreamsAdapter adapter)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _adapters[adapter.Namespace.Name] = adapter;
        lock (_startLock)
        {
            _loop ??= Task.Run(() => ReadLoopAsync(_stopping.Token));
        }
    }

    /// <summary>Removes a namespace's adapter.</summary>
    internal void Unregister(RedisStreamsAdapter adapter) =>
        _adapters.TryRemove(new KeyValuePair<string, RedisStreamsAdapter>(adapter.Namespace.Name, adapter));

    /// <summary>Appends an entry (<c>XADD … MAXLEN ~ n *</c>) and returns its id. Throws when Redis is not reachable.</summary>
    internal async Task<StreamEntryId> AppendAsync(NameValueEntry[] fields)
    {
        var database = Database ?? throw new RedisException("Redis is not connected");
        var task = database.StreamAddAsync(StreamKey, fields, messageId: null, maxLength: Options.MaxLength, useApproximateMaxLength: true);
        Track(task);
        var id = await task.ConfigureAwait(false);
        return StreamEntryId.TryParse(id, out var parsed)
            ? parsed
            : throw new RedisException($"XADD answered an id that is not one: {id}");
    }

    /// <summary>The command connection's database, or null while Redis is unreachable.</summary>
    internal IDatabase? Database => _connection.IsConnected ? _connection.Multiplexer?.GetDatabase() : null;

    /// <summary>Remembers a write so that disposal waits for it.</summary>
    internal void Track(Task write)
    {
        if (write.IsCompleted)
        {
            return;
        }
        _pendingWrites[write] = 0;
        write.ContinueWith(static (t, s) => ((ConcurrentDictionary<Task, byte>)s!).TryRemove(t, out _), _pendingWrites,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        foreach (var adapter in _adapters.Values)
        {
            adapter.AnnounceClose();
        }
        // Sessions persisted by the drain and the adapters' goodbyes are written before the connection closes.
        try
        {
            await Task.WhenAll(_pendingWrites.Keys).WaitAsync(WriteFlushTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or RedisException)
        {
            // Only control flow: what could not be written in time is lost with the node, as it would be in Node.
        }
        _stopping.Cancel();
        await StopReaderAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Only control flow: the loop ends with the node.
            }
        }
        _stopping.Dispose();
    }

    // How long disposal waits for writes in flight: a drain's persisted sessions are a few thousand small SETs.
    private static readonly TimeSpan WriteFlushTimeout = TimeSpan.FromSeconds(5);
}
