using System.Text.Json;

namespace PushServer.SocketIO;

/// <summary>What the server knows of a socket's connection, as socket.io's <c>socket.handshake</c>.</summary>
public sealed class SocketIOHandshake
{
    /// <summary>Creates a handshake; used by the server and by cluster adapters rebuilding remote sockets.</summary>
    public SocketIOHandshake(
        IReadOnlyDictionary<string, string> headers,
        IReadOnlyDictionary<string, string> query,
        JsonElement auth,
        string address,
        bool secure,
        string url,
        DateTimeOffset issued)
    {
        Headers = headers;
        Query = query;
        Auth = auth;
        Address = address;
        Secure = secure;
        Url = url;
        Issued = issued;
    }

    /// <summary>Headers of the request that opened the Engine.IO session, names lower-cased.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Query parameters of that request.</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>
    /// The auth object the client sent with CONNECT (v5), or the namespace's query string as an object (v4,
    /// <c>40/admin?token=abc,</c>); an empty object when there was none.
    /// </summary>
    public JsonElement Auth { get; }

    /// <summary>The client's IP address.</summary>
    public string Address { get; }

    /// <summary>True when the connection came over TLS.</summary>
    public bool Secure { get; }

    /// <summary>The request URL (path and query).</summary>
    public string Url { get; }

    /// <summary>When the Engine.IO session was opened.</summary>
    public DateTimeOffset Issued { get; }
}
