using System.Buffers;
using System.Text.Json;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Protocol;
using PushServer.SocketIO.Redis.Protocol;
using StackExchange.Redis;

namespace PushServer.SocketIO.Redis;

public sealed partial class RedisAdapter
{
    /// <summary>Any message on this namespace's channels, in the order Redis delivered them.</summary>
    private void OnMessage(string channel, RedisValue message)
    {
        if (channel == _requestChannel || channel == _responseChannel || channel == _specificResponseChannel)
        {
            OnRequestMessage(channel, message);
        }
        else if (channel.StartsWith(_channel, StringComparison.Ordinal))
        {
            OnBroadcastMessage(channel, message);
        }
        // Anything else matched the pattern only by chance (another node's own response channel, another prefix).
    }

    /// <summary>A broadcast of another node or of an emitter, on <c>socket.io#/#</c> or <c>socket.io#/#room#</c>.</summary>
    private void OnBroadcastMessage(string channel, RedisValue message)
    {
        if (!channel.StartsWith(_channel, StringComparison.Ordinal))
        {
            return;
        }
        // A single-room broadcast travels on the room's channel; nodes without a member of that room skip decoding it.
        var room = channel.Length > _channel.Length ? channel[_channel.Length..^1] : "";
        if (room.Length > 0 && !HasLocalRoom(room))
        {
            return;
        }
        try
        {
            if (!RedisMessageCodec.TryDecodeBroadcast((byte[])message!, out var broadcast)
                || broadcast!.Uid == Uid || broadcast.Namespace != Namespace.Name)
            {
                return;
            }
            var options = broadcast.Options with { Flags = broadcast.Options.Flags with { Local = true, Timeout = null } };
            BroadcastLocally(new BroadcastPacket(Namespace.Name, broadcast.EventName, broadcast.Args), options);
        }
        catch (Exception ex) when (ex is MessagePack.MessagePackSerializationException or EndOfStreamException or InvalidOperationException)
        {
            Log.MalformedMessage(_logger, channel, ex);
        }
    }

    /// <summary>A request (or a response) on the request and response channels.</summary>
    private void OnRequestMessage(string channel, RedisValue message)
    {
        var bytes = (byte[])message!;
        try
        {
            if (channel.StartsWith(_responseChannel, StringComparison.Ordinal))
            {
                OnResponse(bytes);
            }
            else if (channel == _requestChannel)
            {
                if (RedisMessageCodec.IsJson(bytes))
                {
                    using var document = JsonDocument.Parse(bytes);
                    OnJsonRequest(document.RootElement);
                }
                else
                {
                    OnBroadcastRequest(RedisMessageCodec.Decode(bytes) as Dictionary<string, object?>);
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or MessagePack.MessagePackSerializationException or EndOfStreamException
            or InvalidOperationException or FormatException)
        {
            Log.MalformedMessage(_logger, channel, ex);
        }
    }

    private void OnJsonRequest(JsonElement request)
    {
        if (!request.TryGetProperty("type", out var typeElement) || !typeElement.TryGetInt32(out var typeValue))
        {
            return;
        }
        var uid = request.TryGetProperty("uid", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        if (uid == Uid)
        {
            // This node's own request: applied locally already, and it answers nobody's question but others'.
            return;
        }
        var requestId = request.TryGetProperty("requestId", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        switch ((RedisRequestType)typeValue)
        {
            case RedisRequestType.Sockets when requestId is not null:
                var ids = GetSockets(RedisMessageCodec.ToSet(request.TryGetProperty("rooms", out var rs) ? rs : default));
                PublishResponse(uid, w =>
                {
                    w.WriteString("requestId", requestId);
                    RedisMessageCodec.WriteJsonArray(w, "sockets", ids);
                });
                break;

            case RedisRequestType.AllRooms when requestId is not null:
                var rooms = LocalRooms();
                PublishResponse(uid, w =>
                {
                    w.WriteString("requestId", requestId);
                    w.WriteString("uid", Uid);
                    RedisMessageCodec.WriteJsonArray(w, "rooms", rooms);
                });
                break;

            case RedisRequestType.RemoteJoin:
            case RedisRequestType.RemoteLeave:
            case RedisRequestType.RemoteDisconnect:
                OnRemoteSocketsRequest((RedisRequestType)typeValue, request, uid, requestId);
                break;

            case RedisRequestType.RemoteFetch when requestId is not null:
                OnRemoteFetchSockets(uid, requestId, ReadOptions(request));
                break;

            case RedisRequestType.ServerSideEmit:
                OnServerSideEmitRequest(request, uid, requestId);
                break;
        }
    }

    private void OnRemoteSocketsRequest(RedisRequestType type, JsonElement request, string? uid, string? requestId)
    {
        if (request.TryGetProperty("opts", out _))
        {
            var options = ReadOptions(request);
            var rooms = RedisMessageCodec.ToSet(request.TryGetProperty("rooms", out var rs) ? rs : default);
            switch (type)
            {
                case RedisRequestType.RemoteJoin:
                    OnRemoteSocketsJoin(options, rooms);
                    break;
                case RedisRequestType.RemoteLeave:
                    OnRemoteSocketsLeave(options, rooms);
                    break;
                default:
                    OnRemoteDisconnectSockets(options, request.TryGetProperty("close", out var close) && close.ValueKind == JsonValueKind.True);
                    break;
            }
            return;
        }

        // The form of adapters before 7.x: one socket by id, answered so the asker can resolve its promise.
        if (!request.TryGetProperty("sid", out var sid) || sid.ValueKind != JsonValueKind.String
            || !Namespace.Sockets.TryGetValue(sid.GetString()!, out var target))
        {
            return;
        }
        var room = request.TryGetProperty("room", out var rm) && rm.ValueKind == JsonValueKind.String ? rm.GetString() : null;
        switch (type)
        {
            case RedisRequestType.RemoteJoin when room is not null:
                target.Join(room);
                break;
            case RedisRequestType.RemoteLeave when room is not null:
                target.Leave(room);
                break;
            case RedisRequestType.RemoteDisconnect:
                target.Disconnect(request.TryGetProperty("close", out var c) && c.ValueKind == JsonValueKind.True);
                break;
        }
        if (requestId is not null)
        {
            PublishResponse(uid, w => w.WriteString("requestId", requestId));
        }
    }

    private void OnServerSideEmitRequest(JsonElement request, string? uid, string? requestId)
    {
        if (!request.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0)
        {
            return;
        }
        var eventName = data[0].ValueKind == JsonValueKind.String ? data[0].GetString()! : data[0].GetRawText();
        var args = new object?[data.GetArrayLength() - 1];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = data[i + 1].Clone();
        }
        OnRemoteServerSideEmit(uid, requestId, eventName, args);
    }

    /// <summary>A BROADCAST request (MessagePack): deliver with acks and report the client count and each ack.</summary>
    private void OnBroadcastRequest(Dictionary<string, object?>? request)
    {
        if (request is null || request.GetValueOrDefault("type") is not long type || type != (long)RedisRequestType.Broadcast
            || request.GetValueOrDefault("requestId") is not string requestId)
        {
            return;
        }
        var uid = request.GetValueOrDefault("uid") as string;
        if (uid == Uid || IsPendingBroadcastWithAck(requestId)
            || !RedisMessageCodec.TryReadBroadcast(uid, request.GetValueOrDefault("packet"), request.GetValueOrDefault("opts"), out var broadcast)
            || broadcast!.Namespace != Namespace.Name)
        {
            return;
        }
        OnRemoteBroadcastWithAck(uid, requestId, new BroadcastPacket(Namespace.Name, broadcast.EventName, broadcast.Args), broadcast.Options);
    }

    /// <inheritdoc />
    protected override void PublishBroadcastClientCount(string? requesterUid, string requestId, int clientCount) =>
        PublishResponse(requesterUid, w =>
        {
            w.WriteNumber("type", (int)RedisRequestType.BroadcastClientCount);
            w.WriteString("requestId", requestId);
            w.WriteNumber("clientCount", clientCount);
        });

    /// <inheritdoc />
    protected override void PublishBroadcastAck(string? requesterUid, string requestId, SocketIOArgs ack) =>
        PublishTo(ResponseChannelFor(requesterUid), RedisMessageCodec.EncodeBroadcastAck(requestId, ack));

    /// <inheritdoc />
    protected override void PublishFetchSocketsAnswer(string? requesterUid, string requestId, IReadOnlyList<SocketIOSocket> sockets)
    {
        var serializer = Namespace.Server.SerializerOptions;
        PublishResponse(requesterUid, w =>
        {
            w.WriteString("requestId", requestId);
            w.WriteString("uid", Uid);
            w.WriteStartArray("sockets");
            foreach (var socket in sockets)
            {
                RemoteSocketJson.Write(w, socket, serializer);
            }
            w.WriteEndArray();
        });
    }

    /// <inheritdoc />
    protected override void PublishServerSideEmitAnswer(string? requesterUid, string requestId, object? answer) =>
        // Answers go to the shared response channel whatever PublishOnSpecificResponseChannel says, as in the Node adapter.
        PublishTo(_responseChannel, RedisMessageCodec.WriteJson(w =>
        {
            w.WriteNumber("type", (int)RedisRequestType.ServerSideEmit);
            w.WriteString("requestId", requestId);
            w.WriteString("uid", Uid);
            w.WritePropertyName("data");
            SocketIOValueWriter.WriteValue(w, answer, Namespace.Server.SerializerOptions);
        }));

    private void OnResponse(byte[] message)
    {
        if (RedisMessageCodec.IsJson(message))
        {
            using var document = JsonDocument.Parse(message);
            var response = document.RootElement;
            if (!response.TryGetProperty("requestId", out var id) || id.ValueKind != JsonValueKind.String)
            {
                return;
            }
            var requestId = id.GetString()!;
            if (IsPendingBroadcastWithAck(requestId))
            {
                if (response.TryGetProperty("type", out var t) && t.TryGetInt32(out var type) && type == (int)RedisRequestType.BroadcastClientCount
                    && response.TryGetProperty("clientCount", out var count) && count.TryGetInt32(out var clientCount))
                {
                    OnRemoteBroadcastClientCount(requestId, clientCount);
                }
                return;
            }
            if (IsPendingQuery(requestId))
            {
                var uid = response.TryGetProperty("uid", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
                // Kept past this message's document: cloned.
                OnQueryAnswer(requestId, uid, response.Clone());
            }
            return;
        }

        // MessagePack responses are the acks of a broadcast: {type: 9, requestId, packet}.
        if (RedisMessageCodec.Decode(message) is Dictionary<string, object?> ack
            && ack.GetValueOrDefault("requestId") is string ackRequestId
            && ack.GetValueOrDefault("type") is long ackType && ackType == (long)RedisRequestType.BroadcastAck)
        {
            OnRemoteBroadcastAck(ackRequestId, () => ToArgs(ack.GetValueOrDefault("packet")));
        }
    }

    /// <summary>A remote client's acknowledgement (one value) as the arguments a local one arrives with.</summary>
    private SocketIOArgs ToArgs(object? value) => SocketIOArgs.FromValues([value], Namespace.Server.SerializerOptions);

    private static BroadcastOptions ReadOptions(JsonElement request)
    {
        var opts = request.TryGetProperty("opts", out var o) && o.ValueKind == JsonValueKind.Object ? o : default;
        return new BroadcastOptions
        {
            Rooms = RedisMessageCodec.ToSet(opts.ValueKind == JsonValueKind.Object && opts.TryGetProperty("rooms", out var r) ? r : default),
            Except = RedisMessageCodec.ToSet(opts.ValueKind == JsonValueKind.Object && opts.TryGetProperty("except", out var e) ? e : default),
            Flags = new BroadcastFlags { Local = true },
        };
    }

    private string ResponseChannelFor(string? requesterUid) =>
        _options.PublishOnSpecificResponseChannel && requesterUid is not null
            ? _responseChannel + requesterUid + "#"
            : _responseChannel;

    private void PublishResponse(string? requesterUid, Action<Utf8JsonWriter> body) =>
        PublishTo(ResponseChannelFor(requesterUid), RedisMessageCodec.WriteJson(body));

    private void PublishTo(string channel, byte[] message)
    {
        if (TryGetConnected(out var redis))
        {
            Publish(redis, channel, message);
        }
    }
}
