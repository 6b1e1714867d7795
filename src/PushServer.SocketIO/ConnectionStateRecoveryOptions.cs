namespace PushServer.SocketIO;

/// <summary>
/// Connection state recovery (socket.io 4.6+'s <c>connectionStateRecovery</c>): a client that lost its connection
/// for a moment gets back its socket id, rooms, <see cref="SocketIOSocket.Data"/> and every event it missed.
/// Set <see cref="SocketIOOptions.ConnectionStateRecovery"/> to turn it on.
/// </summary>
public sealed class ConnectionStateRecoveryOptions
{
    /// <summary>socket.io's <c>maxDisconnectionDuration</c>: 2 minutes covers a train tunnel or a network switch.</summary>
    public static readonly TimeSpan DefaultMaxDisconnectionDuration = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Not in socket.io, whose log is unbounded: caps the memory the stored events of one namespace may hold.
    /// 32 MiB keeps two minutes of a busy chat (hundreds of small events a second, each holding some 250 bytes
    /// plus its encoded length); past it the oldest events are dropped first, and a client that missed one of those
    /// reconnects as a new socket.
    /// </summary>
    public const long DefaultMaxStoredBytes = 32L * 1024 * 1024;

    /// <summary>How long a disconnected session, and the events sent since, are kept. socket.io: 2 minutes.</summary>
    public TimeSpan MaxDisconnectionDuration { get; set; } = DefaultMaxDisconnectionDuration;

    /// <summary>Whether a recovered socket skips the namespace's connection middlewares. socket.io: true.</summary>
    public bool SkipMiddlewares { get; set; } = true;

    /// <summary>
    /// Most bytes of memory the events one namespace stores for recovery may hold, counted as the objects they are
    /// (the encoded event, its room names, its slot in the log), not only their encoded length; the oldest go first.
    /// </summary>
    public long MaxStoredBytes { get; set; } = DefaultMaxStoredBytes;
}
