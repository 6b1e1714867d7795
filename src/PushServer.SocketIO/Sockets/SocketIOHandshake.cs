using System.Text.Json;
using PushServer.EngineIO;

namespace PushServer.SocketIO;

/// <summary>What the server knows of a socket's connection, as socket.io's <c>socket.handshake</c>.</summary>
public sealed class SocketIOHandshake
{
    // The Engine.IO session's own handshake, shared rather than copied field by field: every socket of a connection,
    // and the connection itself, keep the same request data for the connection's whole life.
    private readonly EngineHandshake _request;

    /// <summary>Creates a handshake; used by the server and by cluster adapters rebuilding remote sockets.</summary>
    public SocketIOHandshake(
        IReadOnlyDictionary<string, string> headers,
        IReadOnlyDictionary<string, string> query,
        JsonElement auth,
        string address,
        bool secure,
        string url,
        DateTimeOffset issued)
        : this(new EngineHandshake(headers, query, address, secure, url, issued), auth)
    {
    }

    internal SocketIOHandshake(EngineHandshake request, JsonElement auth)
    {
        _request = request;
        Auth = auth;
    }

    /// <summary>Headers of the request that opened the Engine.IO session, names lower-cased.</summary>
    public IReadOnlyDictionary<string, string> Headers => _request.Headers;

    /// <summary>Query parameters of that request.</summary>
    public IReadOnlyDictionary<string, string> Query => _request.Query;

    /// <summary>
    /// The auth object the client sent with CONNECT (v5), or the namespace's query string as an object (v4,
    /// <c>40/admin?token=abc,</c>); an empty object when there was none.
    /// </summary>
    public JsonElement Auth { get; }

    /// <summary>The client's IP address.</summary>
    public string Address => _request.RemoteAddress;

    /// <summary>True when the connection came over TLS.</summary>
    public bool Secure => _request.IsSecure;

    /// <summary>The request URL (path and query).</summary>
    public string Url => _request.Url;

    /// <summary>When the Engine.IO session was opened.</summary>
    public DateTimeOffset Issued => _request.IssuedAt;
}
