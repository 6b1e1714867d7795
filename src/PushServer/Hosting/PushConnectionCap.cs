using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace PushServer.Hosting;

/// <summary>
/// Caps the push port's open connections at <c>PushApi:MaxConnections</c>: they come out of the descriptors
/// <see cref="ConnectionCapacity.Reserve"/> keeps beside the Socket.IO port's cap, so a flood on a push port bound to a
/// public address (token or not, a TCP connection costs nothing) could otherwise take the process to its open-file
/// limit. Connections past the cap are closed on accept, before anything is read; refusals are counted for /metrics
/// and logged at most every 10 s.
/// </summary>
internal sealed partial class PushConnectionCap(int maxConnections, ILogger logger)
{
    private int _open;
    private long _refused;
    private long _refusedToLog;
    private long _lastLogged = long.MinValue;

    /// <summary>Most connections open at once.</summary>
    public int MaxConnections => maxConnections;

    /// <summary>Connections open now.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Connections closed on accept because <see cref="MaxConnections"/> were open, since start.</summary>
    public long RefusedConnections => Interlocked.Read(ref _refused);

    /// <summary>The connection middleware for the push port's listener.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (Interlocked.Increment(ref _open) > maxConnections)
        {
            Interlocked.Decrement(ref _open);
            Refused();
            connection.Abort(new ConnectionAbortedException("PushApi:MaxConnections reached."));
            return;
        }
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    };

    private void Refused()
    {
        Interlocked.Increment(ref _refused);
        Interlocked.Increment(ref _refusedToLog);
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastLogged);
        if (now - last < 10_000 || Interlocked.CompareExchange(ref _lastLogged, now, last) != last)
        {
            return;
        }
        Log.Refused(logger, Interlocked.Exchange(ref _refusedToLog, 0), maxConnections);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = PushServerEventIds.PushConnectionsRefused, Level = LogLevel.Warning,
            Message = "Push port: {Count} connections closed on accept, {MaxConnections} were open (PushApi:MaxConnections)")]
        public static partial void Refused(ILogger logger, long count, int maxConnections);
    }
}
