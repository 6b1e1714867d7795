using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PushServer.Hosting;

/// <summary>
/// While draining, answers new Engine.IO handshakes (requests without <c>sid</c>) with 503 so clients retry elsewhere;
/// requests of existing sessions pass, so their queued packets and close still reach them.
/// </summary>
internal sealed partial class HandshakeDrainMiddleware(RequestDelegate next, DrainState drain, ILogger<HandshakeDrainMiddleware> logger)
{
    /// <summary>Refuses handshakes while draining.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (drain.IsDraining && ListenerTag.Of(context) == ListenerRole.SocketIO && !context.Request.Query.ContainsKey("sid"))
        {
            Log.HandshakeRefused(logger, context.Connection.RemoteIpAddress?.ToString() ?? "");
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            return context.Response.WriteAsJsonAsync(new { code = 503, message = "Server shutting down" });
        }
        return next(context);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = PushServerEventIds.HandshakeRefusedWhileDraining, Level = LogLevel.Debug,
            Message = "Handshake from {Address} refused: draining")]
        public static partial void HandshakeRefused(ILogger logger, string address);
    }
}
