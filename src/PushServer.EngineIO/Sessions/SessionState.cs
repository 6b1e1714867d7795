namespace PushServer.EngineIO.Sessions;

internal enum SessionState
{
    /// <summary>Handshake done; messages flow.</summary>
    Open,
    /// <summary>Closed for the layer above; the transport is still delivering what was queued and the close packet.</summary>
    Closing,
    /// <summary>Gone: removed from the store; every later request for it is <c>Session ID unknown</c>.</summary>
    Closed,
}
