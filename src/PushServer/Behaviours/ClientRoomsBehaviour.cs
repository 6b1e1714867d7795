using Microsoft.Extensions.Options;
using PushServer.Configuration;
using PushServer.SocketIO;

namespace PushServer.Behaviours;

/// <summary>
/// Lets clients join and leave rooms by emitting the configured events, for allowed room names only, and answers
/// through the client's ack: <c>{"ok":true,"room":"news"}</c> or <c>{"ok":false,"room":…,"error":…}</c>.
/// </summary>
internal sealed class ClientRoomsBehaviour(IOptions<RoomSettings> options) : IPushServerBehaviour
{
    // Longer names are refused outright: they can only be a mistake or an attempt to grow server memory.
    private const int MaxRoomNameLength = 256;

    private readonly RoomSettings _settings = options.Value;

    /// <summary>Registers the join and leave handlers when any room is allowed.</summary>
    public void Apply(SocketIOServer io)
    {
        var settings = _settings;
        if (settings.Allowed.Count == 0)
        {
            return;
        }
        var patterns = settings.Allowed.Select(p => new RoomPattern(p)).ToList();
        // Shared by every socket (the event carries its socket), so a socket costs no closures of its own.
        Func<SocketIOEvent, ValueTask> join = e =>
        {
            Answer(e, patterns, static (socket, room) =>
            {
                // A join refused by SocketIO:MaxRoomsPerSocket leaves the socket outside the room.
                socket.Join(room);
                return socket.Rooms.Contains(room);
            });
            return ValueTask.CompletedTask;
        };
        Func<SocketIOEvent, ValueTask> leave = e =>
        {
            Answer(e, patterns, static (socket, room) =>
            {
                socket.Leave(room);
                return true;
            });
            return ValueTask.CompletedTask;
        };
        io.Of(settings.Namespace).OnConnection(socket =>
        {
            socket.On(settings.JoinEvent, join);
            socket.On(settings.LeaveEvent, leave);
        });
    }

    private static void Answer(SocketIOEvent e, List<RoomPattern> patterns, Func<SocketIOSocket, string, bool> apply)
    {
        var room = e.Args.Count > 0 && e.Args[0].ValueKind == System.Text.Json.JsonValueKind.String ? e.Args.GetString(0) : null;
        if (room is null || room.Length == 0 || room.Length > MaxRoomNameLength)
        {
            e.Ack(new { ok = false, error = "the first argument must be a room name of 1 to 256 characters" });
            return;
        }
        if (!patterns.Any(p => p.Matches(room)))
        {
            e.Ack(new { ok = false, room, error = "room not allowed" });
            return;
        }
        if (!apply(e.Socket, room))
        {
            e.Ack(new { ok = false, room, error = "too many rooms" });
            return;
        }
        e.Ack(new { ok = true, room });
    }
}
