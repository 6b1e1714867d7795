using System.Text.Json.Nodes;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO.Tests.Protocol;

/// <summary>
/// Properties of the Socket.IO codec over generated packets of every type, for protocol v4 and v5: the decoder reads
/// back what the encoder wrote (type, namespace, ack id, payload, attachments in placeholder order); and no sequence of
/// messages makes the decoder throw: it completes, waits for attachments, or reports an error. Generation is seeded,
/// so a failure names the seed and case that reproduce it.
/// </summary>
public class PacketCodecPropertyTests
{
    private const int Cases = 300;
    private const int ArbitraryCases = 3000;
    private static readonly JsonSerializerOptions Json = SocketIOJson.CreateSerializerOptions(null);
    private static readonly string[] TextPieces =
        ["a", "Z", "0", "7", " ", "\"", "\\", "/", ",", "-", "[", "]", "{", "}", "\n", "\t", "\u0001", "€", "中", "\u2028", "😀", "</script>", "_placeholder"];

    public static TheoryData<int> Seeds() => [1, 2, 3];

    private sealed record Expected(SocketIOPacketType Type, string Namespace, long AckId, JsonNode? Payload, List<byte[]> Attachments);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_packet_type_decodes_to_what_was_encoded(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Cases; i++)
        {
            var version = random.Next(2) == 0 ? SocketIOProtocolVersion.V4 : SocketIOProtocolVersion.V5;
            var (encoded, expected) = RandomPacket(random, version);
            var context = $"seed {seed} case {i} ({expected.Type}, {version}): {Encoding.UTF8.GetString(encoded.Text.Data.Span)}";

            var decoder = new SocketIOPacketDecoder(SocketIOOptions.DefaultMaxAttachments, SocketIOOptions.DefaultMaxJsonDepth);
            var status = decoder.DecodeText(encoded.Text.Data, out var packet, out var error);
            foreach (var attachment in encoded.Attachments)
            {
                Assert.True(status == DecodeStatus.NeedsAttachments, $"{context}: {status} {error}");
                status = decoder.DecodeBinary(attachment.Data, out packet, out error);
            }
            Assert.True(status == DecodeStatus.Complete, $"{context}: {status} {error}");

            Assert.Equal(expected.Type, packet!.Type);
            Assert.Equal(expected.Namespace, packet.Namespace);
            Assert.Equal(expected.AckId, packet.AckId);
            Assert.True(
                expected.Payload is null ? packet.Payload is null : JsonElementEquals(expected.Payload, packet.Payload?.RootElement),
                $"{context}: payload {packet.Payload?.RootElement.GetRawText()}");
            Assert.Equal(expected.Attachments.Count, packet.Attachments.Length);
            for (var a = 0; a < expected.Attachments.Count; a++)
            {
                Assert.True(expected.Attachments[a].AsSpan().SequenceEqual(packet.Attachments[a].Span), $"{context}: attachment {a}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Decoding_arbitrary_and_mutated_messages_never_throws(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < ArbitraryCases; i++)
        {
            var decoder = new SocketIOPacketDecoder(SocketIOOptions.DefaultMaxAttachments, SocketIOOptions.DefaultMaxJsonDepth);
            foreach (var (data, isBinary) in ArbitraryMessages(random))
            {
                var status = isBinary ? decoder.DecodeBinary(data, out var packet, out var error) : decoder.DecodeText(data, out packet, out error);
                if (status == DecodeStatus.Error)
                {
                    Assert.False(string.IsNullOrEmpty(error), $"seed {seed} case {i}: an error says why");
                    break;
                }
                if (status == DecodeStatus.Complete && packet!.Type is SocketIOPacketType.Event or SocketIOPacketType.BinaryEvent)
                {
                    // What the dispatch reads next must be readable.
                    var name = packet.Payload!.RootElement[0];
                    _ = name.ValueKind == JsonValueKind.String ? name.GetString() : name.GetRawText();
                }
            }
        }
    }

    private static bool JsonElementEquals(JsonNode expected, JsonElement? actual)
    {
        using var document = JsonDocument.Parse(expected.ToJsonString());
        return actual is { } element && JsonElement.DeepEquals(document.RootElement, element);
    }

    private static (EncodedPacket Encoded, Expected Expected) RandomPacket(Random random, SocketIOProtocolVersion version)
    {
        var nsp = RandomNamespace(random);
        switch (random.Next(7))
        {
            case 0:
                var sid = RandomText(random, 1, 20);
                var pid = random.Next(2) == 0 ? RandomText(random, 1, 20) : null;
                JsonNode? auth = version == SocketIOProtocolVersion.V4 ? null
                    : pid is null ? new JsonObject { ["sid"] = sid } : new JsonObject { ["sid"] = sid, ["pid"] = pid };
                return (new EncodedPacket(SocketIOPacketEncoder.EncodeConnect(nsp, sid, version, pid), []),
                    new Expected(SocketIOPacketType.Connect, nsp, SocketIOPacket.NoAckId, auth, []));
            case 1:
                return (new EncodedPacket(SocketIOPacketEncoder.EncodeDisconnect(nsp), []),
                    new Expected(SocketIOPacketType.Disconnect, nsp, SocketIOPacket.NoAckId, null, []));
            case 2:
                var message = RandomText(random, 0, 30);
                object? data = null;
                JsonNode? dataNode = null;
                if (random.Next(2) == 0)
                {
                    data = RandomObject(random, 0, [], out dataNode, allowBinary: false);
                }
                JsonNode error = version == SocketIOProtocolVersion.V4
                    ? dataNode ?? JsonValue.Create(message)
                    : dataNode is null ? new JsonObject { ["message"] = message } : new JsonObject { ["message"] = message, ["data"] = dataNode };
                return (new EncodedPacket(SocketIOPacketEncoder.EncodeConnectError(nsp, message, data, version, Json), []),
                    new Expected(SocketIOPacketType.ConnectError, nsp, SocketIOPacket.NoAckId, error, []));
            default:
                // EVENT, ACK, and their BINARY_ forms when an argument holds bytes.
                var isEvent = random.Next(2) == 0;
                var eventName = isEvent ? RandomEventName(random) : null;
                var ackId = random.Next(3) == 0 ? SocketIOPacket.NoAckId : RandomAckId(random);
                var attachments = new List<byte[]>();
                var payload = new JsonArray();
                if (eventName is not null)
                {
                    payload.Add(eventName);
                }
                var args = new object?[random.Next(0, 5)];
                for (var a = 0; a < args.Length; a++)
                {
                    args[a] = RandomValue(random, 0, attachments, out var node, allowBinary: true);
                    payload.Add(node);
                }
                var type = (isEvent, attachments.Count > 0) switch
                {
                    (true, false) => SocketIOPacketType.Event,
                    (true, true) => SocketIOPacketType.BinaryEvent,
                    (false, false) => SocketIOPacketType.Ack,
                    (false, true) => SocketIOPacketType.BinaryAck,
                };
                return (SocketIOPacketEncoder.EncodeMessage(nsp, eventName, args, ackId, Json),
                    new Expected(type, nsp, ackId, payload, attachments));
        }
    }

    private static long RandomAckId(Random random) => random.Next(3) switch
    {
        0 => random.Next(0, 10),
        1 => random.Next(),
        // Up to 17 digits: larger than any int, within what the decoder takes.
        _ => random.NextInt64(0, 100_000_000_000_000_000),
    };

    private static string RandomNamespace(Random random)
    {
        if (random.Next(3) == 0)
        {
            return "/";
        }
        // Anything but the comma that ends a namespace.
        return "/" + RandomText(random, 0, 12).Replace(",", "", StringComparison.Ordinal);
    }

    private static string RandomEventName(Random random)
    {
        while (true)
        {
            var name = RandomText(random, 1, 16);
            if (!ReservedEventNames.IsReserved(name))
            {
                return name;
            }
        }
    }

    private static string RandomText(Random random, int minPieces, int maxPieces)
    {
        var text = new StringBuilder();
        for (var n = random.Next(minPieces, maxPieces + 1); n > 0; n--)
        {
            text.Append(TextPieces[random.Next(TextPieces.Length)]);
        }
        return text.ToString();
    }

    /// <summary>A CLR value to encode and the JSON the decoder must see for it (bytes become placeholders).</summary>
    private static object? RandomValue(Random random, int depth, List<byte[]> attachments, out JsonNode? node, bool allowBinary)
    {
        var choice = random.Next(depth >= 4 ? 6 : 8);
        switch (choice)
        {
            case 0:
                node = null;
                return null;
            case 1:
                var b = random.Next(2) == 0;
                node = JsonValue.Create(b);
                return b;
            case 2:
                var l = random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64);
                node = JsonValue.Create(l);
                return l;
            case 3:
                var d = Math.Round((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 15)), random.Next(0, 6));
                node = JsonValue.Create(d);
                return d;
            case 4:
            case 5:
                if (allowBinary && attachments.Count < SocketIOOptions.DefaultMaxAttachments && random.Next(2) == 0)
                {
                    var bytes = new byte[random.Next(0, 32)];
                    random.NextBytes(bytes);
                    node = new JsonObject { ["_placeholder"] = true, ["num"] = attachments.Count };
                    attachments.Add(bytes);
                    return bytes;
                }
                var s = RandomText(random, 0, 10);
                node = JsonValue.Create(s);
                return s;
            case 6:
                var items = new object?[random.Next(0, 4)];
                var array = new JsonArray();
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = RandomValue(random, depth + 1, attachments, out var item, allowBinary);
                    array.Add(item);
                }
                node = array;
                return items;
            default:
                return RandomObject(random, depth, attachments, out node, allowBinary);
        }
    }

    private static Dictionary<string, object?> RandomObject(Random random, int depth, List<byte[]> attachments, out JsonNode? node, bool allowBinary)
    {
        var members = new Dictionary<string, object?>(StringComparer.Ordinal);
        var obj = new JsonObject();
        for (var n = random.Next(0, 4); n > 0; n--)
        {
            var key = RandomText(random, 0, 4);
            if (members.ContainsKey(key) || key == "_placeholder")
            {
                continue;
            }
            members[key] = RandomValue(random, depth + 1, attachments, out var value, allowBinary);
            obj[key] = value;
        }
        node = obj;
        return members;
    }

    /// <summary>A connection's messages: random bytes, or a valid packet and its attachments with a few changes.</summary>
    private static List<(byte[] Data, bool IsBinary)> ArbitraryMessages(Random random)
    {
        if (random.Next(4) == 0)
        {
            var bytes = new byte[random.Next(0, 48)];
            random.NextBytes(bytes);
            return [(bytes, random.Next(4) == 0)];
        }
        var (encoded, _) = RandomPacket(random, random.Next(2) == 0 ? SocketIOProtocolVersion.V4 : SocketIOProtocolVersion.V5);
        var messages = new List<(byte[] Data, bool IsBinary)> { (encoded.Text.Data.ToArray(), false) };
        messages.AddRange(encoded.Attachments.Select(a => (a.Data.ToArray(), true)));
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var which = random.Next(messages.Count + 1);
            if (which == messages.Count)
            {
                // A message too many or too few, of either kind.
                if (random.Next(2) == 0 && messages.Count > 1)
                {
                    messages.RemoveAt(messages.Count - 1);
                }
                else
                {
                    messages.Add(random.Next(2) == 0 ? ([1, 2], true) : ("2[\"late\"]"u8.ToArray(), false));
                }
                continue;
            }
            messages[which] = (Mutate(random, messages[which].Data), messages[which].IsBinary);
        }
        return messages;
    }

    private static byte[] Mutate(Random random, byte[] data)
    {
        string[] tokens =
            ["\"\\ud800\"", "{\"_placeholder\":true,\"num\":", "99999999999999999999", "-", "/", ",", "[", "]", "{", "}", "\"", "1e999", "null", "\u00ff"];
        var list = data.ToList();
        var at = random.Next(list.Count + 1);
        switch (random.Next(4))
        {
            case 0 when at < list.Count:
                list[at] = (byte)random.Next(256);
                break;
            case 1 when at < list.Count:
                list.RemoveRange(at, Math.Min(list.Count - at, random.Next(1, 4)));
                break;
            case 2:
                list.InsertRange(at, Encoding.UTF8.GetBytes(tokens[random.Next(tokens.Length)]));
                break;
            default:
                list.Insert(at, (byte)random.Next(256));
                break;
        }
        return [.. list];
    }
}
