using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PushServer.SocketIO;
using PushServer.SocketIO.Adapters;

namespace PushServer.AdminUi;

/// <summary>
/// A socket as the UI lists it (instrument()'s <c>serialize</c>): id, clientId, transport, nsp, data, handshake and
/// rooms. The handshake leaves out <c>auth</c>, which may hold credentials, as the original does.
/// </summary>
internal static class AdminUiSocketSerializer
{
    // Node's sockets keep the admin fields in socket.data._admin, which the UI must not show as the user's data.
    private const string AdminDataKey = "_admin";

    // instrument() shows the first 12 characters of the Engine.IO session id.
    private const int ClientIdLength = 12;

    /// <summary>A socket of this node.</summary>
    public static JsonObject Serialize(SocketIOSocket socket, JsonSerializerOptions options) =>
        Serialize(
            socket.Id,
            socket.ConnectionId.Length > ClientIdLength ? socket.ConnectionId[..ClientIdLength] : socket.ConnectionId,
            socket.TransportName,
            socket.Namespace.Name,
            ToNode(socket.Data, options),
            socket.Handshake,
            socket.Rooms);

    /// <summary>A socket of another node, as fetchSockets() returned it; a Node node keeps clientId and transport in its data.</summary>
    public static JsonObject Serialize(RemoteSocket socket, string nsp, JsonSerializerOptions options)
    {
        var data = ToNode(socket.Data, options);
        var admin = (data as JsonObject)?[AdminDataKey] as JsonObject;
        return Serialize(
            socket.Id,
            admin?["clientId"]?.GetValueKind() == JsonValueKind.String ? admin["clientId"]!.GetValue<string>() : null,
            admin?["transport"]?.GetValueKind() == JsonValueKind.String ? admin["transport"]!.GetValue<string>() : null,
            nsp,
            data,
            socket.Handshake,
            socket.Rooms);
    }

    private static JsonObject Serialize(
        string id, string? clientId, string? transport, string nsp, JsonNode? data, SocketIOHandshake handshake, IEnumerable<string> rooms)
    {
        if (data is JsonObject userData)
        {
            userData.Remove(AdminDataKey);
        }
        var rooms1 = new JsonArray();
        foreach (var room in rooms)
        {
            rooms1.Add(room);
        }
        return new JsonObject
        {
            ["id"] = id,
            ["clientId"] = clientId,
            ["transport"] = transport,
            ["nsp"] = nsp,
            ["data"] = data ?? new JsonObject(),
            ["handshake"] = Handshake(handshake),
            ["rooms"] = rooms1,
        };
    }

    private static JsonObject Handshake(SocketIOHandshake handshake)
    {
        var headers = new JsonObject();
        foreach (var (name, value) in handshake.Headers)
        {
            headers[name] = value;
        }
        var query = new JsonObject();
        foreach (var (name, value) in handshake.Query)
        {
            query[name] = value;
        }
        // Behind a proxy the client's address is in these headers, as instrument() reads it.
        var address = handshake.Headers.GetValueOrDefault("cf-connecting-ip")
            ?? handshake.Headers.GetValueOrDefault("x-forwarded-for")
            ?? handshake.Address;
        return new JsonObject
        {
            ["address"] = address,
            ["headers"] = headers,
            ["query"] = query,
            ["issued"] = handshake.Issued.ToUnixTimeMilliseconds(),
            ["secure"] = handshake.Secure,
            ["time"] = handshake.Issued.UtcDateTime.ToString("R", CultureInfo.InvariantCulture),
            ["url"] = handshake.Url,
            ["xdomain"] = handshake.Headers.ContainsKey("origin"),
        };
    }

    private static JsonNode? ToNode(object? data, JsonSerializerOptions options)
    {
        try
        {
            return data switch
            {
                null => null,
                JsonElement element => JsonNode.Parse(element.GetRawText()),
                _ => JsonSerializer.SerializeToNode(data, data.GetType(), options),
            };
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            // Data a behaviour keeps for itself need not be serialisable; the UI then shows none.
            return null;
        }
    }
}
