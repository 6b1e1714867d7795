using System.Buffers;
using System.Text.Json;
using MessagePack;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO.Redis.Protocol;

/// <summary>
/// Converts event arguments to and from MessagePack the way notepack.io (the Node adapter's codec) does: integers
/// in their smallest form, other numbers as float 64, strings as str (str 8 included), bytes as bin, objects as
/// maps with string keys, <c>undefined</c> members left out.
/// </summary>
internal static class MsgPackValues
{
    // JavaScript numbers are doubles: integral values up to 2^53 are what notepack writes as integers.
    private const double MaxSafeInteger = 9007199254740991d;

    /// <summary>Writes one argument. JSON-shaped values are written directly; other objects go through the serializer.</summary>
    public static void Write(ref MessagePackWriter writer, object? value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case null:
                writer.WriteNil();
                return;
            case string s:
                writer.Write(s);
                return;
            case bool b:
                writer.Write(b);
                return;
            case int i:
                writer.Write(i);
                return;
            case long l:
                writer.Write(l);
                return;
            case double d:
                WriteNumber(ref writer, d);
                return;
            case byte[] bytes:
                writer.Write(bytes.AsSpan());
                return;
            case ReadOnlyMemory<byte> rom:
                writer.Write(rom.Span);
                return;
            case Memory<byte> mem:
                writer.Write(mem.Span);
                return;
            case ArraySegment<byte> seg:
                writer.Write(seg.AsSpan());
                return;
            case JsonElement e:
                WriteJson(ref writer, e, []);
                return;
        }

        // Anything else is serialized as Socket.IO would send it, binary members collected as attachments, and the
        // resulting JSON (placeholders resolved back to their bytes) is written as MessagePack.
        var attachments = new List<ReadOnlyMemory<byte>>();
        var buffer = new ArrayBufferWriter<byte>(256);
        using (SocketIOValueWriter.CollectAttachments(attachments))
        using (var json = new Utf8JsonWriter(buffer))
        {
            SocketIOValueWriter.WriteValue(json, value, options);
        }
        using (var document = JsonDocument.Parse(buffer.WrittenMemory))
        {
            WriteJson(ref writer, document.RootElement, attachments);
        }
    }

    /// <summary>Writes a JSON value; placeholders <c>{"_placeholder":true,"num":K}</c> become the bytes of attachment K.</summary>
    public static void WriteJson(ref MessagePackWriter writer, JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (attachments.Count > 0 && BinaryPlaceholder.IsPlaceholder(element)
                    && BinaryPlaceholder.TryGetIndex(element, attachments.Count, out var index))
                {
                    writer.Write(attachments[index].Span);
                    return;
                }
                var count = 0;
                foreach (var _ in element.EnumerateObject())
                {
                    count++;
                }
                writer.WriteMapHeader(count);
                foreach (var property in element.EnumerateObject())
                {
                    writer.Write(property.Name);
                    WriteJson(ref writer, property.Value, attachments);
                }
                return;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    WriteJson(ref writer, item, attachments);
                }
                return;
            case JsonValueKind.String:
                writer.Write(element.GetString());
                return;
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var l))
                {
                    writer.Write(l);
                }
                else if (element.TryGetUInt64(out var u))
                {
                    writer.Write(u);
                }
                else
                {
                    WriteNumber(ref writer, element.GetDouble());
                }
                return;
            case JsonValueKind.True:
                writer.Write(true);
                return;
            case JsonValueKind.False:
                writer.Write(false);
                return;
            default:
                writer.WriteNil();
                return;
        }
    }

    private static void WriteNumber(ref MessagePackWriter writer, double d)
    {
        if (Math.Floor(d) == d && Math.Abs(d) <= MaxSafeInteger)
        {
            writer.Write((long)d);
        }
        else
        {
            writer.Write(d);
        }
    }

    /// <summary>
    /// Reads one value as plain objects: null, bool, long (ulong past its range), double, string, bytes as
    /// <see cref="ReadOnlyMemory{T}"/>, lists and string-keyed dictionaries. Those serialize back to the JSON
    /// Socket.IO sends, bytes as attachments. A MessagePack timestamp becomes a <see cref="DateTimeOffset"/>
    /// (notepack writes a Date so; JSON would carry its ISO string).
    /// </summary>
    public static object? Read(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                return reader.NextCode == MessagePackCode.UInt64 ? ToNumber(reader.ReadUInt64()) : reader.ReadInt64();
            case MessagePackType.Float:
                return reader.ReadDouble();
            case MessagePackType.String:
                return reader.ReadString();
            case MessagePackType.Binary:
                return (ReadOnlyMemory<byte>)reader.ReadBytes()!.Value.ToArray();
            case MessagePackType.Array:
            {
                var length = reader.ReadArrayHeader();
                var list = new List<object?>(length);
                for (var i = 0; i < length; i++)
                {
                    list.Add(Read(ref reader));
                }
                return list;
            }
            case MessagePackType.Map:
            {
                var length = reader.ReadMapHeader();
                var map = new Dictionary<string, object?>(length, StringComparer.Ordinal);
                for (var i = 0; i < length; i++)
                {
                    var key = Read(ref reader);
                    map[Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? "null"] = Read(ref reader);
                }
                return map;
            }
            case MessagePackType.Extension:
            {
                var header = reader.ReadExtensionFormatHeader();
                var data = reader.ReadRaw(header.Length);
                if (header.TypeCode == ReservedMessagePackExtensionTypeCode.DateTime)
                {
                    return (DateTimeOffset)ReadTimestamp(header, data);
                }
                // notepack's old encoding of undefined (fixext 1, type 0) and any other extension: no JSON value.
                return null;
            }
            default:
                reader.Skip();
                return null;
        }
    }

    private static object ToNumber(ulong value) => value <= long.MaxValue ? (long)value : (double)value;

    private static DateTime ReadTimestamp(ExtensionHeader header, ReadOnlySequence<byte> data)
    {
        Span<byte> bytes = stackalloc byte[12];
        data.CopyTo(bytes);
        long seconds;
        long nanoseconds;
        switch (header.Length)
        {
            case 4:
                seconds = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
                nanoseconds = 0;
                break;
            case 8:
                var v = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
                nanoseconds = (long)(v >> 34);
                seconds = (long)(v & 0x3_FFFF_FFFFUL);
                break;
            default:
                nanoseconds = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
                seconds = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(bytes[4..]);
                break;
        }
        return DateTime.UnixEpoch.AddSeconds(seconds).AddTicks(nanoseconds / 100);
    }
}
