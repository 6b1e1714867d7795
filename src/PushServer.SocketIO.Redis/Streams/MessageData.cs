using System.Text.Json;

namespace PushServer.SocketIO.Redis.Streams;

/// <summary>
/// The <c>data</c> of an outgoing cluster message, written in insertion order so the JSON reads as the Node adapter's
/// (<c>{"packet":…,"opts":…}</c>). Values: strings, numbers, booleans, null, nested <see cref="MessageData"/>, string
/// collections (room lists), <see cref="EventArguments"/>, <see cref="AckValue"/>, <see cref="LocalSockets"/>, or any
/// argument object the Socket.IO serializer handles.
/// </summary>
internal sealed class MessageData
{
    public List<KeyValuePair<string, object?>> Items { get; } = [];

    public MessageData Add(string key, object? value)
    {
        Items.Add(new(key, value));
        return this;
    }
}

/// <summary>An event as socket.io's packet <c>data</c>: <c>[name, ...args]</c>.</summary>
internal sealed record EventArguments(string EventName, IReadOnlyList<object?> Args);

/// <summary>A client's answer (its first argument), with the binary attachments its placeholders refer to.</summary>
internal sealed record AckValue(JsonElement Value, IReadOnlyList<ReadOnlyMemory<byte>> Attachments);

/// <summary>Local sockets described as a FETCH_SOCKETS answer: <c>[{id, handshake, rooms, data}]</c>.</summary>
internal sealed record LocalSockets(IReadOnlyList<SocketIOSocket> Sockets);
