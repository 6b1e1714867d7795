using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PushServer.Configuration;
using PushServer.Metrics;
using PushServer.SocketIO;

namespace PushServer.Behaviours;

/// <summary>
/// Applies the configured relay rules: each listens for a client event on its namespace and re-emits it to
/// everyone, a room, or the sender's rooms, or answers it through the client's ack. A configured reply is the ack's
/// value, for a rule that only answers as for one that relays. An event too large to relay once encoded is refused to
/// its sender alone (an ack error), and nobody else receives anything.
/// </summary>
internal sealed partial class RelayBehaviour(IOptions<RelaySettings> settings, PushServerMetrics metrics, ILoggerFactory loggers)
    : IPushServerBehaviour
{
    /// <summary>What a sender that asked for an ack is told when its event is too large to relay.</summary>
    public const string TooLargeError = "the message is too large to relay";

    private readonly RelaySettings _settings = settings.Value;
    private readonly ILogger _logger = loggers.CreateLogger("PushServer.Relay");

    /// <summary>Registers every rule that is not switched off.</summary>
    public void Apply(SocketIOServer io)
    {
        foreach (var group in _settings.Rules.Where(r => r.Value.To != RelayTarget.None).GroupBy(r => r.Value.Namespace))
        {
            // One handler per rule, shared by every socket (the event carries its socket): a socket then costs only
            // its entry in the handler table, not closures of its own.
            var handlers = group
                .Select(r => (EventName: r.Key, Handler: Handler(r.Key, r.Value, metrics, _logger)))
                .ToList();
            io.Of(group.Key).OnConnection(socket =>
            {
                foreach (var (eventName, handler) in handlers)
                {
                    socket.On(eventName, handler);
                }
            });
        }
    }

    private static Func<SocketIOEvent, ValueTask> Handler(string eventName, RelayRule rule, PushServerMetrics metrics, ILogger logger)
    {
        // Built once per rule: the ack is encoded at once, so every event of the rule can pass the same array.
        object?[]? reply = rule.ReplyJson is { } json ? [JsonDocument.Parse(json).RootElement.Clone()]
            : rule.Reply is { } text ? [text]
            : null;
        return e => Handle(e, eventName, rule, reply, metrics, logger);
    }

    private static ValueTask Handle(SocketIOEvent e, string eventName, RelayRule rule, object?[]? reply, PushServerMetrics metrics, ILogger logger)
    {
        try
        {
            Relay(e.Socket, eventName, rule, reply, e);
        }
        catch (SocketIOPacketTooLargeException ex)
        {
            // Refused before anything was sent: the client's mistake, answered to it alone.
            metrics.OversizedEmit("relay");
            Log.RelayTooLarge(logger, eventName, e.Socket.Id, ex.Size, ex.Limit);
            e.Ack(new { error = TooLargeError });
        }
        return ValueTask.CompletedTask;
    }

    private static void Relay(SocketIOSocket socket, string eventName, RelayRule rule, object?[]? reply, SocketIOEvent e)
    {
        var args = e.Args.ToEmitArguments();
        var emitAs = rule.EmitAs.Length > 0 ? rule.EmitAs : eventName;
        var nsp = socket.Namespace;
        switch (rule.To)
        {
            case RelayTarget.Ack:
                e.Ack(reply ?? args);
                return;
            case RelayTarget.All:
                if (rule.IncludeSender)
                {
                    nsp.Emit(emitAs, args);
                }
                else
                {
                    socket.Broadcast.Emit(emitAs, args);
                }
                break;
            case RelayTarget.Room:
                if (args.Length == 0 || e.Args.GetString(0) is not { Length: > 0 } room)
                {
                    // Nothing says where to: the client's mistake, answered through its ack when it asked for one.
                    e.Ack(new { error = "the first argument must name the room" });
                    return;
                }
                // Only a member may send to a room: otherwise any client could write into another user's push room
                // (uid:42) or straight to a socket by its id.
                if (!socket.Rooms.Contains(room) || room == socket.Id)
                {
                    e.Ack(new { error = "join the room first" });
                    return;
                }
                var rest = args[1..];
                if (rule.IncludeSender)
                {
                    nsp.To(room).Emit(emitAs, rest);
                }
                else
                {
                    socket.To(room).Emit(emitAs, rest);
                }
                break;
            case RelayTarget.SenderRooms:
                var rooms = socket.Rooms.Where(r => r != socket.Id).ToList();
                if (rooms.Count == 0)
                {
                    break;
                }
                if (rule.IncludeSender)
                {
                    nsp.To(rooms).Emit(emitAs, args);
                }
                else
                {
                    socket.To(rooms).Emit(emitAs, args);
                }
                break;
        }
        // Confirms the relay to a client that asked for an ack, with the reply when one is configured.
        e.Ack(reply ?? []);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = PushServerEventIds.RelayTooLarge, Level = LogLevel.Information,
            Message = "Relay of {Event} from socket {SocketId} refused: {Size} bytes once encoded, more than EngineIO:MaxOutboundQueueBytes ({Limit}); too large for any client")]
        public static partial void RelayTooLarge(ILogger logger, string @event, string socketId, long size, long limit);
    }
}
