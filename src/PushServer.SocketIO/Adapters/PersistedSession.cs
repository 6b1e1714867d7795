namespace PushServer.SocketIO.Adapters;

/// <summary>
/// What is kept of a socket that disconnected for a recoverable reason (socket.io-adapter's <c>SessionToPersist</c>).
/// </summary>
/// <param name="Sid">The socket id, given back on recovery.</param>
/// <param name="Pid">The private session id the client proves itself with.</param>
/// <param name="Rooms">The rooms the socket was in, its own id included.</param>
/// <param name="Data">The socket's <see cref="SocketIOSocket.Data"/>.</param>
public sealed record PersistedSession(string Sid, string Pid, IReadOnlyList<string> Rooms, object? Data);

/// <summary>A session found again for a reconnecting client, with the events it missed, oldest first.</summary>
/// <param name="Session">The session as it was persisted.</param>
/// <param name="MissedPackets">
/// Stored events sent after the client's offset that its rooms select, each carrying its offset. The in-memory
/// adapter keeps events as their v5 encoding only, so its packets have empty <see cref="BroadcastPacket.Args"/>.
/// </param>
public sealed record RecoveredSession(PersistedSession Session, IReadOnlyList<BroadcastPacket> MissedPackets);
