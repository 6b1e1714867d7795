namespace PushServer.EngineIO.Protocol;

/// <summary>The reference server's request error codes, mapped to the wire in <see cref="Hosting.EngineErrorResponder"/>.</summary>
internal enum EngineError
{
    UnknownTransport = 0,
    UnknownSid = 1,
    BadHandshakeMethod = 2,
    BadRequest = 3,
    Forbidden = 4,
    UnsupportedProtocolVersion = 5,
}
