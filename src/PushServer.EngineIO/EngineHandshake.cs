namespace PushServer.EngineIO;

/// <summary>
/// What the server saw of the request that opened a session, captured once so that upper layers
/// (Socket.IO's <c>socket.handshake</c>) can read it after the HTTP request has ended.
/// </summary>
/// <param name="Headers">Request headers, names lower-cased, repeated values joined with <c>", "</c>.</param>
/// <param name="Query">Query parameters, first value of each name.</param>
/// <param name="RemoteAddress">
/// The client's IP address as text, empty when unknown: the TCP peer's, or behind a trusted proxy
/// (<see cref="EngineIOOptions.TrustedProxies"/>) the one its <c>X-Forwarded-For</c> names.
/// </param>
/// <param name="IsSecure">True when the request came over TLS.</param>
/// <param name="Url">The request path and query string, e.g. <c>/socket.io/?EIO=4&amp;transport=polling</c>.</param>
/// <param name="IssuedAt">When the session was opened.</param>
public sealed record EngineHandshake(
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Query,
    string RemoteAddress,
    bool IsSecure,
    string Url,
    DateTimeOffset IssuedAt);
