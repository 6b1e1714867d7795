namespace PushServer.EngineIO.Transports;

/// <summary>A connection that its server ends itself once the WebSocket on it is over (no host does it for it).</summary>
internal interface IConnectionEnd
{
    /// <summary>Ends the connection gracefully; a connection already reset stays so. Called once.</summary>
    void End();
}
