namespace PushServer.SocketIO.Adapters;

/// <summary>
/// Which sockets a broadcast or a server-side operation selects, shaped as socket.io-adapter's
/// <c>{rooms, except, flags}</c>: members of any of <see cref="Rooms"/> (every socket when empty), minus members of
/// any of <see cref="Except"/>.
/// </summary>
public sealed record BroadcastOptions
{
    private static readonly IReadOnlySet<string> NoRooms = new HashSet<string>();

    /// <summary>Every socket of the namespace.</summary>
    public static BroadcastOptions All { get; } = new();

    /// <summary>Rooms whose members are selected; empty selects all sockets.</summary>
    public IReadOnlySet<string> Rooms { get; init; } = NoRooms;

    /// <summary>Rooms whose members are left out.</summary>
    public IReadOnlySet<string> Except { get; init; } = NoRooms;

    /// <summary>Broadcast modifiers.</summary>
    public BroadcastFlags Flags { get; init; } = BroadcastFlags.None;
}
