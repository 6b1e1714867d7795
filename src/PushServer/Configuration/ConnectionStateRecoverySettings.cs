using PushServer.SocketIO;

namespace PushServer.Configuration;

/// <summary>Connection state recovery as configured (section <c>SocketIO:ConnectionStateRecovery</c>).</summary>
internal sealed class ConnectionStateRecoverySettings
{
    /// <summary>Off by default, as in socket.io: with it on, every stored event carries an offset clients keep.</summary>
    public bool Enabled { get; set; }

    /// <summary>socket.io's <c>maxDisconnectionDuration</c> in ms (two minutes).</summary>
    public int MaxDisconnectionDuration { get; set; } = (int)ConnectionStateRecoveryOptions.DefaultMaxDisconnectionDuration.TotalMilliseconds;

    /// <summary>socket.io's <c>skipMiddlewares</c>: a recovered socket skips the connection middlewares (token checks included).</summary>
    public bool SkipMiddlewares { get; set; } = true;

    /// <summary>Bytes of events one namespace keeps in memory for recovery on a single node (the Redis stream keeps its own).</summary>
    public long MaxStoredBytes { get; set; } = ConnectionStateRecoveryOptions.DefaultMaxStoredBytes;

    /// <summary>The library options, or null when recovery is off.</summary>
    public ConnectionStateRecoveryOptions? ToOptions() => Enabled
        ? new ConnectionStateRecoveryOptions
        {
            MaxDisconnectionDuration = TimeSpan.FromMilliseconds(MaxDisconnectionDuration),
            SkipMiddlewares = SkipMiddlewares,
            MaxStoredBytes = MaxStoredBytes,
        }
        : null;
}
