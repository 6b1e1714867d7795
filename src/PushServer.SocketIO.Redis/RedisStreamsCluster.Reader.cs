using System.Globalization;
using Microsoft.Extensions.Logging;
using PushServer.SocketIO.Redis.Streams;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis;

public sealed partial class RedisStreamsCluster
{
    // How long the reader waits before trying again after Redis failed it.
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _positioned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(StreamEntryId Id, TaskCompletionSource Done)> _waiters = [];
    private ConnectionMultiplexer? _reader;
    private StreamEntryId _position;
    // Set while reads fail (Redis answers commands but not this stream, or the reader's own connection is down):
    // the node then cannot hear the others, which readiness must say even though the command connection works.
    private volatile bool _readFailing;

    /// <summary>False while the reader cannot read the stream; it keeps retrying by itself.</summary>
    public bool IsReading => !_readFailing && _loop is not { IsCompleted: true };

    /// <summary>Completes once the reader knows the stream's last entry at start, so nothing written later is missed.</summary>
    internal Task WaitUntilPositionedAsync(CancellationToken cancellationToken) => _positioned.Task.WaitAsync(cancellationToken);

    /// <summary>Completes once the reader has handled every entry up to <paramref name="id"/>.</summary>
    internal Task WaitForAsync(StreamEntryId id)
    {
        lock (_gate)
        {
            if (_positioned.Task.IsCompleted && _position >= id)
            {
                return Task.CompletedTask;
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((id, done));
            return done.Task;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> with the id of the last entry the reader handled, while the reader waits: no
    /// entry is handed to the adapters until it returns. That is what lets a restored session take the entries up to
    /// that id from XRANGE and every later one live, each exactly once.
    /// </summary>
    internal T AtReaderPosition<T>(Func<StreamEntryId, T> action)
    {
        lock (_gate)
        {
            return action(_position);
        }
    }

    /// <summary>
    /// The read loop. XREAD with BLOCK is a blocking command, which StackExchange.Redis does not support on a shared
    /// multiplexer: every command pipelined behind it on that connection (publishes, session writes, other nodes' reads)
    /// would wait up to the block time, and the library's own heartbeat with them. So the loop reads on a connection of
    /// its own that carries nothing else, through <c>ExecuteAsync</c>, one XREAD in flight at a time, with a block time
    /// well inside that connection's timeout: a new entry is read as soon as it is written, and an idle node costs one
    /// round trip per block time. Every other command goes through the node's shared connection.
    /// </summary>
    private async Task ReadLoopAsync(CancellationToken stopping)
    {
        var failing = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var reader = _reader ??= await ConnectReaderAsync().ConfigureAwait(false);
                var database = reader.GetDatabase();
                if (!_positioned.Task.IsCompleted)
                {
                    await PositionAsync(database).ConfigureAwait(false);
                }
                StreamEntryId from;
                lock (_gate)
                {
                    from = _position;
                }
                var result = await database.ExecuteAsync("XREAD",
                    "COUNT", Options.ReadCount,
                    "BLOCK", (long)Options.BlockTime.TotalMilliseconds,
                    "STREAMS", StreamKey, from.ToString()).ConfigureAwait(false);
                if (failing)
                {
                    failing = false;
                    _readFailing = false;
                    Log.StreamReadResumed(_logger, Options.StreamName);
                }
                if (!result.IsNull)
                {
                    Handle(ParseRead(result));
                }
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Logged once per outage; the position is kept, so the entries written meanwhile are read afterwards
                // (unless MAXLEN trimmed them away first). Anything else than Redis failing (a reply of an unexpected
                // shape, a bug) is retried the same way rather than ending the only loop that reads the stream.
                if (!failing)
                {
                    failing = true;
                    _readFailing = true;
                    Log.StreamReadFailed(_logger, Options.StreamName, ex);
                }
                try
                {
                    await Task.Delay(RetryDelay, _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<ConnectionMultiplexer> ConnectReaderAsync()
    {
        RedisConfiguration.TryParse(_connection.Options.Configuration, out var config, out _);
        config ??= new ConfigurationOptions();
        config.AbortOnConnectFail = false;
        config.ClientName = "pushserver-stream-reader";
        config.ReconnectRetryPolicy = new LinearRetry((int)RetryDelay.TotalMilliseconds);
        // The blocked read must never be taken for a stuck command.
        var timeout = (int)(Options.BlockTime + TimeSpan.FromSeconds(5)).TotalMilliseconds;
        config.SyncTimeout = timeout;
        config.AsyncTimeout = timeout;
        // XREAD's reply is parsed below in its RESP2 shape (arrays, not maps).
        config.Protocol = RedisProtocol.Resp2;
        return await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
    }

    /// <summary>Starts after the stream's current last entry (the Node adapter starts at <c>$</c>), as a concrete id.</summary>
    private async Task PositionAsync(IDatabase database)
    {
        var last = await database.StreamRangeAsync(StreamKey, "-", "+", count: 1, messageOrder: Order.Descending).ConfigureAwait(false);
        var position = last.Length > 0 && StreamEntryId.TryParse(last[0].Id, out var id) ? id : StreamEntryId.Zero;
        lock (_gate)
        {
            _position = position;
        }
        _positioned.TrySetResult();
    }

    private void Handle(List<(StreamEntryId Id, NameValueEntry[] Fields)> entries)
    {
        foreach (var (id, fields) in entries)
        {
            ClusterMessage? message = null;
            RedisStreamsAdapter? adapter = null;
            try
            {
                if (StreamMessageCodec.TryDecode(fields, out message))
                {
                    _adapters.TryGetValue(message!.Nsp, out adapter);
                }
            }
            catch (Exception ex)
            {
                Log.StreamEntryFailed(_logger, id.ToString(), ex);
            }
            if (adapter is not null && message!.Type == ClusterMessageType.Broadcast)
            {
                // Delivered and counted as read in one step, under the gate restoring sessions take.
                lock (_gate)
                {
                    Run(adapter, id, message);
                    Advance(id);
                }
                continue;
            }
            if (adapter is not null)
            {
                Run(adapter, id, message!);
            }
            lock (_gate)
            {
                Advance(id);
            }
        }
    }

    private void Run(RedisStreamsAdapter adapter, StreamEntryId id, ClusterMessage message)
    {
        try
        {
            adapter.OnEntry(id, message);
        }
        catch (Exception ex)
        {
            Log.StreamEntryFailed(_logger, id.ToString(), ex);
        }
    }

    /// <summary>Moves the position to <paramref name="id"/> and releases whoever waited for it. Caller holds the gate.</summary>
    private void Advance(StreamEntryId id)
    {
        _position = id;
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Id <= id)
            {
                _waiters[i].Done.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    /// <summary>XREAD's RESP2 reply: <c>[[stream, [[id, [field, value, …]], …]]]</c>.</summary>
    private static List<(StreamEntryId Id, NameValueEntry[] Fields)> ParseRead(RedisResult result)
    {
        var entries = new List<(StreamEntryId, NameValueEntry[])>();
        foreach (var stream in (RedisResult[])result!)
        {
            var parts = (RedisResult[])stream!;
            foreach (var entry in (RedisResult[])parts[1]!)
            {
                var pair = (RedisResult[])entry!;
                if (!StreamEntryId.TryParse((string?)pair[0], out var id))
                {
                    continue;
                }
                var flat = (RedisResult[])pair[1]!;
                var fields = new NameValueEntry[flat.Length / 2];
                for (var i = 0; i < fields.Length; i++)
                {
                    fields[i] = new NameValueEntry((RedisValue)flat[2 * i], (RedisValue)flat[2 * i + 1]);
                }
                entries.Add((id, fields));
            }
        }
        return entries;
    }

    private async Task StopReaderAsync()
    {
        if (_reader is { } reader)
        {
            await reader.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await reader.DisposeAsync().ConfigureAwait(false);
        }
        lock (_gate)
        {
            foreach (var (_, done) in _waiters)
            {
                done.TrySetCanceled();
            }
            _waiters.Clear();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = RedisEventIds.StreamReadFailed, Level = LogLevel.Warning,
            Message = "Could not read the Redis stream {Stream}; retrying, and entries written meanwhile will be read from where reading stopped")]
        public static partial void StreamReadFailed(ILogger logger, string stream, Exception exception);

        [LoggerMessage(EventId = RedisEventIds.StreamReadResumed, Level = LogLevel.Information,
            Message = "Reading the Redis stream {Stream} again")]
        public static partial void StreamReadResumed(ILogger logger, string stream);

        [LoggerMessage(EventId = RedisEventIds.StreamEntryFailed, Level = LogLevel.Error,
            Message = "Handling the stream entry {EntryId} failed")]
        public static partial void StreamEntryFailed(ILogger logger, string entryId, Exception exception);
    }
}
