using System.Text.Json;
using PushServer.SocketIO;
using PushServer.SocketIO.Protocol;

namespace PushServer.Fuzzing.Targets;

/// <summary>
/// The Socket.IO packet decoder of one connection, fed a sequence of Engine.IO messages: the input is split at
/// <c>\x1e</c>, and a record that starts with <c>B</c> is a binary message (the bytes after the <c>B</c>), any other a
/// text message. So <c>451-["up",{"_placeholder":true,"num":0}]\x1eB\x01\x02</c> is a binary event and its attachment.
/// Feeding stops at the first error, where the connection would close. A complete packet is then read the way the
/// server's dispatch reads it, which must not throw either.
/// </summary>
internal static class SocketIOPacketTarget
{
    private const byte Separator = 0x1E;

    public static void Run(byte[] input)
    {
        var decoder = new SocketIOPacketDecoder(SocketIOOptions.DefaultMaxAttachments, SocketIOOptions.DefaultMaxJsonDepth);
        var rest = input.AsMemory();
        while (true)
        {
            var end = rest.Span.IndexOf(Separator);
            var record = end < 0 ? rest : rest[..end];
            var isBinary = !record.IsEmpty && record.Span[0] == (byte)'B';
            var status = isBinary
                ? decoder.DecodeBinary(record[1..], out var packet, out var error)
                : decoder.DecodeText(record, out packet, out error);
            switch (status)
            {
                case DecodeStatus.Error:
                    Invariants.Require(!string.IsNullOrEmpty(error), "an error says why");
                    Invariants.Require(!decoder.IsReconstructing || !isBinary, "a failed attachment ends the reconstruction");
                    return;
                case DecodeStatus.Complete:
                    Invariants.Require(packet is not null && error is null, "a complete packet comes without an error");
                    ReadLikeDispatch(packet!);
                    break;
                default:
                    Invariants.Require(decoder.IsReconstructing, "a packet waiting for attachments is pending");
                    break;
            }
            if (end < 0)
            {
                return;
            }
            rest = rest[(end + 1)..];
        }
    }

    private static void ReadLikeDispatch(SocketIOPacket packet)
    {
        var root = packet.Payload?.RootElement;
        switch (packet.Type)
        {
            case SocketIOPacketType.Event or SocketIOPacketType.BinaryEvent:
                Invariants.Require(root is { ValueKind: JsonValueKind.Array }, "an event carries an array");
                var first = root!.Value[0];
                var name = first.ValueKind == JsonValueKind.String ? first.GetString()! : first.GetRawText();
                Invariants.Require(name.Length <= SocketIOOptions.DefaultMaxEventNameLength || first.ValueKind != JsonValueKind.String,
                    "an event name is within the limit");
                ReadArguments(new SocketIOArgs(root.Value, 1, packet.Attachments, JsonSerializerOptions.Default));
                break;
            case SocketIOPacketType.Ack or SocketIOPacketType.BinaryAck:
                ReadArguments(new SocketIOArgs(root!.Value, 0, packet.Attachments, JsonSerializerOptions.Default));
                break;
            case SocketIOPacketType.Connect:
                Invariants.Require(root is null or { ValueKind: JsonValueKind.Object }, "a CONNECT carries an object or nothing");
                break;
        }
    }

    private static void ReadArguments(SocketIOArgs args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (BinaryPlaceholder.IsPlaceholder(args[i]))
            {
                // The decoder checked every placeholder, so each one resolves to an attachment.
                Invariants.Require(args.IsBinary(i), "a placeholder points at an attachment");
            }
        }
    }
}
