namespace PushServer.PushApi;

/// <summary>Why a push request failed. <see cref="PushErrors"/> maps each to its HTTP status and wire code, in one place.</summary>
internal enum PushErrorCode
{
    /// <summary>A field has the wrong type or value.</summary>
    InvalidRequest,

    /// <summary>A required parameter is missing.</summary>
    MissingParameter,

    /// <summary>The body is not valid JSON.</summary>
    InvalidJson,

    /// <summary>The event name is one socket.io keeps for itself.</summary>
    ReservedEvent,

    /// <summary>The namespace is not served.</summary>
    UnknownNamespace,

    /// <summary>The bearer token is missing or wrong.</summary>
    Unauthorized,

    /// <summary>A browser sent the request from another site's page (a cross-site form post or fetch).</summary>
    CrossSiteRequest,

    /// <summary>
    /// No token is configured and the Host header does not name the loopback: a page that re-pointed its own domain
    /// at this machine (DNS rebinding), or a caller that should use a token.
    /// </summary>
    HostNotAllowed,

    /// <summary>No such endpoint.</summary>
    NotFound,

    /// <summary>The endpoint does not take this method.</summary>
    MethodNotAllowed,

    /// <summary>The body is neither JSON nor a form where one is expected.</summary>
    UnsupportedMediaType,

    /// <summary>The body is larger than <c>PushApi:MaxBodyBytes</c>.</summary>
    PayloadTooLarge,

    /// <summary>
    /// The event, once encoded for the wire, is larger than any client may be sent (<c>EngineIO:MaxOutboundQueueBytes</c>);
    /// nothing was sent.
    /// </summary>
    PacketTooLarge,

    /// <summary>The server is shutting down.</summary>
    ShuttingDown,

    /// <summary>Our fault; logged at Error.</summary>
    Internal,
}
