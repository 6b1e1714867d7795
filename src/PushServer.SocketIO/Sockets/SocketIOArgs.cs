using System.Collections;
using System.Text.Json;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO;

/// <summary>
/// Arguments received from a client (an event's arguments after its name, or an acknowledgement's arguments).
/// Each argument is a <see cref="JsonElement"/>; binary values appear as <c>{"_placeholder":true,"num":K}</c>
/// objects and are read as bytes with <see cref="GetBytes(int)"/> or through <see cref="GetValue{T}(int)"/>.
/// </summary>
public sealed class SocketIOArgs : IReadOnlyList<JsonElement>
{
    private readonly JsonElement _array;
    private readonly int _start;
    private readonly IReadOnlyList<ReadOnlyMemory<byte>> _attachments;
    private readonly JsonSerializerOptions _options;

    internal SocketIOArgs(JsonElement array, int start, IReadOnlyList<ReadOnlyMemory<byte>> attachments, JsonSerializerOptions options)
    {
        _array = array;
        _start = start;
        _attachments = attachments;
        _options = options;
        Count = array.ValueKind == JsonValueKind.Array ? Math.Max(0, array.GetArrayLength() - start) : 0;
    }

    /// <summary>
    /// Arguments made from values, as a client sending them would deliver them: each value written as Socket.IO sends
    /// it, binary values becoming attachments. This is how an adapter hands a remote client's acknowledgement to the
    /// callback of a broadcast made on this node.
    /// </summary>
    public static SocketIOArgs FromValues(IReadOnlyList<object?> values, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(options);
        var attachments = new List<ReadOnlyMemory<byte>>();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (SocketIOValueWriter.CollectAttachments(attachments))
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                SocketIOPacketEncoder.WriteValue(writer, value, options);
            }
            writer.WriteEndArray();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new SocketIOArgs(document.RootElement.Clone(), 0, attachments, options);
    }

    /// <summary>No arguments.</summary>
    public static SocketIOArgs Empty { get; } = new(default, 0, [], JsonSerializerOptions.Default);

    /// <summary>The number of arguments.</summary>
    public int Count { get; }

    /// <summary>The argument at <paramref name="index"/> as JSON.</summary>
    public JsonElement this[int index] =>
        (uint)index < (uint)Count ? _array[_start + index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The binary attachments that arrived with the packet, in placeholder order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments => _attachments;

    /// <summary>True when the argument at <paramref name="index"/> is a binary value.</summary>
    public bool IsBinary(int index) => TryGetBytes(this[index], out _);

    /// <summary>The bytes of the binary argument at <paramref name="index"/>.</summary>
    /// <exception cref="InvalidOperationException">The argument is not binary.</exception>
    public ReadOnlyMemory<byte> GetBytes(int index) =>
        TryGetBytes(this[index], out var bytes) ? bytes : throw new InvalidOperationException($"Argument {index} is not binary.");

    /// <summary>Resolves a placeholder found anywhere in the arguments to its bytes.</summary>
    public bool TryGetBytes(JsonElement element, out ReadOnlyMemory<byte> bytes)
    {
        if (BinaryPlaceholder.IsPlaceholder(element) && BinaryPlaceholder.TryGetIndex(element, _attachments.Count, out var i))
        {
            bytes = _attachments[i];
            return true;
        }
        bytes = default;
        return false;
    }

    /// <summary>The argument at <paramref name="index"/> as a string, or null when it is not a JSON string.</summary>
    public string? GetString(int index)
    {
        var e = this[index];
        return e.ValueKind == JsonValueKind.String ? Protocol.LenientJsonString.Read(e) : null;
    }

    /// <summary>
    /// Deserializes the argument at <paramref name="index"/>. Byte members (<c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>)
    /// receive the attachments their placeholders point to.
    /// </summary>
    public T? GetValue<T>(int index)
    {
        var element = this[index];
        var previous = AttachmentScope.Reading;
        AttachmentScope.Reading = _attachments;
        try
        {
            return element.Deserialize<T>(_options);
        }
        finally
        {
            AttachmentScope.Reading = previous;
        }
    }

    /// <summary>
    /// The arguments ready to pass to an emit: binary values, at any depth, become <see cref="ReadOnlyMemory{T}"/>
    /// again, so relaying an event keeps its attachments instead of sending placeholders that point at nothing.
    /// </summary>
    public object?[] ToEmitArguments()
    {
        var result = new object?[Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = _attachments.Count == 0 ? this[i] : Restore(this[i]);
        }
        return result;
    }

    /// <summary>Rebuilds a value whose subtree may hold placeholders: objects and arrays become dictionaries and lists.</summary>
    private object? Restore(JsonElement element)
    {
        if (TryGetBytes(element, out var bytes))
        {
            return bytes;
        }
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new Dictionary<string, object?>();
                foreach (var property in element.EnumerateObject())
                {
                    members[property.Name] = Restore(property.Value);
                }
                return members;
            case JsonValueKind.Array:
                var items = new List<object?>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    items.Add(Restore(item));
                }
                return items;
            default:
                return element;
        }
    }

    /// <inheritdoc />
    public IEnumerator<JsonElement> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The arguments as a JSON array text, placeholders included; for logs and tests.</summary>
    public override string ToString()
    {
        var parts = new string[Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = this[i].GetRawText();
        }
        return "[" + string.Join(",", parts) + "]";
    }
}
