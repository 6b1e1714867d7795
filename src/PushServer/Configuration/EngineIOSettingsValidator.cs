namespace PushServer.Configuration;

/// <summary>Checks <see cref="EngineIOSettings"/>; each message names the key.</summary>
internal sealed class EngineIOSettingsValidator : SettingsValidator<EngineIOSettings>
{
    /// <inheritdoc />
    protected override void Check(EngineIOSettings options, List<string> errors)
    {
        OptionChecks.Positive(errors, "EngineIO:PingInterval", options.PingInterval);
        OptionChecks.Positive(errors, "EngineIO:PingTimeout", options.PingTimeout);
        OptionChecks.Positive(errors, "EngineIO:UpgradeTimeout", options.UpgradeTimeout);
        OptionChecks.NotNegative(errors, "EngineIO:TimerCoalescing", options.TimerCoalescing, "0 fires each deadline at its time");
        // More would hold pings back noticeably, and a ping timeout by as much.
        if (options.TimerCoalescing > 1000)
        {
            errors.Add($"EngineIO:TimerCoalescing must be at most 1000 ms (got {options.TimerCoalescing}).");
        }
        OptionChecks.Positive(errors, "EngineIO:MaxHttpBufferSize", options.MaxHttpBufferSize);
        OptionChecks.Positive(errors, "EngineIO:MaxOutboundQueueBytes", options.MaxOutboundQueueBytes);
        OptionChecks.NotNegative(errors, "EngineIO:WebSocketSendTimeout", options.WebSocketSendTimeout, "0 waits forever");
        OptionChecks.Positive(errors, "EngineIO:MaxSessions", options.MaxSessions);
        OptionChecks.Positive(errors, "EngineIO:MaxWebSocketConnections", options.MaxWebSocketConnections);
        OptionChecks.NotNegative(errors, "EngineIO:MaxHandshakesPerSecondPerIp", options.MaxHandshakesPerSecondPerIp, "0 turns the check off");
        OptionChecks.NotNegative(errors, "EngineIO:MaxInboundPacketsPerSecond", options.MaxInboundPacketsPerSecond, "0 turns the check off");
        OptionChecks.Positive(errors, "EngineIO:InboundPacketBurst", options.InboundPacketBurst);
        // Below one full-size message, a client could never finish sending a fragmented one.
        if (options.MaxPendingWebSocketBytes < options.MaxHttpBufferSize)
        {
            errors.Add($"EngineIO:MaxPendingWebSocketBytes must be at least EngineIO:MaxHttpBufferSize ({options.MaxHttpBufferSize}) (got {options.MaxPendingWebSocketBytes}).");
        }
        foreach (var transport in options.Transports)
        {
            if (EngineIOSettings.ParseTransports([transport]) == PushServer.EngineIO.EngineTransports.None)
            {
                errors.Add($"EngineIO:Transports has an unknown transport \"{transport}\" (known: polling, websocket).");
            }
        }
        foreach (var proxy in options.TrustedProxies)
        {
            if (EngineIOSettings.ParseNetwork(proxy) is null)
            {
                errors.Add($"EngineIO:TrustedProxies has \"{proxy}\", which is neither an address such as 10.0.0.5 nor a range such as 10.0.0.0/8.");
            }
        }
        foreach (var origin in options.Cors.Origins)
        {
            if (origin != "*" && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                && uri.AbsolutePath == "/" && !origin.EndsWith('/')))
            {
                errors.Add($"EngineIO:Cors:Origins has \"{origin}\", which is neither * nor an origin such as https://app.example.com.");
            }
        }
        if (options.Cors.Credentials && options.Cors.Origins.Contains("*"))
        {
            errors.Add("EngineIO:Cors:Credentials cannot be true with the origin *; list the origins instead.");
        }
    }
}
