using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace PushServer.Hosting;

/// <summary>
/// Guards the push port's places. At most <c>PushApi:MaxConnections</c> connections are open at once: they come out of
/// the descriptors <see cref="ConnectionCapacity.Reserve"/> keeps beside the Socket.IO port's cap, so a flood on a push
/// port bound to a public address (token or not, a TCP connection costs nothing) could otherwise take the process to
/// its open-file limit. Connections past the cap are closed on accept, before anything is read.
/// <para>
/// And a connection that sends nothing within <c>Server:RequestHeadersTimeout</c> of its accept is closed. Kestrel's
/// own RequestHeadersTimeout counts from a request's first byte; before that only its keep-alive timeout (130 s)
/// applies, so a few hundred silent connections would otherwise hold every place for minutes and shut out the
/// backends that push. Once a byte came, Kestrel holds the head (and TLS its handshake) to the same timeout.
/// </para>
/// Both kinds of closing are counted for /metrics and logged at most every 10 s.
/// </summary>
internal sealed partial class PushConnectionCap(int maxConnections, TimeSpan firstByteTimeout, TimeProvider time, ILogger logger)
{
    private int _open;
    private readonly ThrottledCount _refused = new();
    private readonly ThrottledCount _timedOut = new();

    /// <summary>Most connections open at once.</summary>
    public int MaxConnections => maxConnections;

    /// <summary>Connections open now.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Connections closed on accept because <see cref="MaxConnections"/> were open, since start.</summary>
    public long RefusedConnections => _refused.Total;

    /// <summary>Connections closed because they sent nothing within the first-byte timeout, since start.</summary>
    public long TimedOutConnections => _timedOut.Total;

    /// <summary>The connection middleware for the push port's listener.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (Interlocked.Increment(ref _open) > maxConnections)
        {
            Interlocked.Decrement(ref _open);
            if (_refused.Add() is { } count)
            {
                Log.Refused(logger, count, maxConnections);
            }
            connection.Abort(new ConnectionAbortedException("PushApi:MaxConnections reached."));
            return;
        }
        try
        {
            if (await FirstByteCameAsync(connection).ConfigureAwait(false))
            {
                await next(connection).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    };

    /// <summary>
    /// Waits for the connection's first bytes without taking them (Kestrel, or TLS before it, reads them next). False
    /// when the connection was closed for sending nothing in time, or ended before sending anything.
    /// </summary>
    private async ValueTask<bool> FirstByteCameAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var deadline = new CancellationTokenSource(firstByteTimeout, time);
        try
        {
            var result = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
            var empty = result.Buffer.IsEmpty;
            // Neither consumed nor examined: the next reader gets the same bytes at once.
            input.AdvanceTo(result.Buffer.Start);
            return !empty;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            if (_timedOut.Add() is { } count)
            {
                Log.TimedOut(logger, count, firstByteTimeout);
            }
            connection.Abort(new ConnectionAbortedException("Nothing received within Server:RequestHeadersTimeout."));
            return false;
        }
    }

    /// <summary>A count since start, and how many to log now: at most one log line every 10 s sums what came since.</summary>
    private sealed class ThrottledCount
    {
        private long _total;
        private long _toLog;
        private long _lastLogged = long.MinValue;

        public long Total => Interlocked.Read(ref _total);

        /// <summary>Counts one; returns the number to log when a line is due, else null.</summary>
        public long? Add()
        {
            Interlocked.Increment(ref _total);
            Interlocked.Increment(ref _toLog);
            var now = Environment.TickCount64;
            var last = Interlocked.Read(ref _lastLogged);
            if (now - last < 10_000 || Interlocked.CompareExchange(ref _lastLogged, now, last) != last)
            {
                return null;
            }
            return Interlocked.Exchange(ref _toLog, 0);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = PushServerEventIds.PushConnectionsRefused, Level = LogLevel.Warning,
            Message = "Push port: {Count} connections closed on accept, {MaxConnections} were open (PushApi:MaxConnections)")]
        public static partial void Refused(ILogger logger, long count, int maxConnections);

        [LoggerMessage(EventId = PushServerEventIds.PushConnectionsTimedOut, Level = LogLevel.Warning,
            Message = "Push port: {Count} connections closed for sending nothing within {Timeout} of connecting (Server:RequestHeadersTimeout)")]
        public static partial void TimedOut(ILogger logger, long count, TimeSpan timeout);
    }
}
