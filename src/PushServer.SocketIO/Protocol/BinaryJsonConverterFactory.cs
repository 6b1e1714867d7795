using System.Text.Json;
using System.Text.Json.Serialization;

namespace PushServer.SocketIO.Protocol;

/// <summary>
/// Makes <c>byte[]</c>, <see cref="ReadOnlyMemory{T}"/>, <see cref="Memory{T}"/> and <see cref="ArraySegment{T}"/> of bytes
/// travel as Socket.IO binary attachments at any depth of an argument, as Buffers do in socket.io, instead of
/// base64 strings. Outside a Socket.IO encode or read they fall back to base64.
/// </summary>
internal sealed class BinaryJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert == typeof(byte[]) || typeToConvert == typeof(ReadOnlyMemory<byte>)
        || typeToConvert == typeof(Memory<byte>) || typeToConvert == typeof(ArraySegment<byte>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        if (typeToConvert == typeof(byte[]))
        {
            return new Converter<byte[]>(m => m.ToArray(), v => v);
        }
        if (typeToConvert == typeof(ReadOnlyMemory<byte>))
        {
            return new Converter<ReadOnlyMemory<byte>>(m => m, v => v);
        }
        if (typeToConvert == typeof(Memory<byte>))
        {
            return new Converter<Memory<byte>>(m => m.ToArray(), v => v);
        }
        return new Converter<ArraySegment<byte>>(m => new ArraySegment<byte>(m.ToArray()), v => v);
    }

    private sealed class Converter<T>(Func<ReadOnlyMemory<byte>, T> fromMemory, Func<T, ReadOnlyMemory<byte>> toMemory) : JsonConverter<T>
    {
        public override bool HandleNull => false;

        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                return fromMemory(reader.GetBytesFromBase64());
            }
            using var doc = JsonDocument.ParseValue(ref reader);
            var attachments = AttachmentScope.Reading;
            if (attachments is not null && BinaryPlaceholder.IsPlaceholder(doc.RootElement)
                && BinaryPlaceholder.TryGetIndex(doc.RootElement, attachments.Count, out var index))
            {
                return fromMemory(attachments[index]);
            }
            throw new JsonException("Expected a binary placeholder or a base64 string.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            var collector = AttachmentScope.Writing;
            if (collector is null)
            {
                writer.WriteBase64StringValue(toMemory(value).Span);
                return;
            }
            BinaryPlaceholder.Write(writer, collector.Count);
            collector.Add(toMemory(value));
        }
    }
}
