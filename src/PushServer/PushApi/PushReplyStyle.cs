namespace PushServer.PushApi;

/// <summary>How a successful push is answered; errors are always JSON.</summary>
internal enum PushReplyStyle
{
    /// <summary>A JSON document (the <c>/api/</c> endpoints).</summary>
    Json,

    /// <summary>The text <c>ok</c>, as phpsocket.io's <c>GET /?msg=</c>.</summary>
    Ok,

    /// <summary>The text <c>ok</c>, or <c>offline</c> when a user push found nobody, as web-msg-sender.</summary>
    WebMsgSender,
}
