using System.Text;
using Microsoft.AspNetCore.Http;
using PushServer.EngineIO.Protocol;

namespace PushServer.EngineIO.Hosting;

/// <summary>Writes the reference server's error answers, byte for byte.</summary>
internal static class EngineErrorResponder
{
    public static string MessageOf(EngineError error) => error switch
    {
        EngineError.UnknownTransport => "Transport unknown",
        EngineError.UnknownSid => "Session ID unknown",
        EngineError.BadHandshakeMethod => "Bad handshake method",
        EngineError.BadRequest => "Bad request",
        EngineError.Forbidden => "Forbidden",
        EngineError.UnsupportedProtocolVersion => "Unsupported protocol version",
        _ => "Bad request",
    };

    /// <summary>
    /// HTTP requests: 403 for <see cref="EngineError.Forbidden"/>, 400 otherwise, with
    /// <c>{"code":N,"message":"…"}</c>. WebSocket upgrades: 400 with the bare message as text/html, as the
    /// reference writes on the raw socket.
    /// </summary>
    /// <remarks>
    /// A limit refusal passes <paramref name="status"/> (503 server full, 429 too many handshakes), which then applies
    /// to both forms: clients back off and retry on any non-200 handshake answer.
    /// </remarks>
    public static Task WriteAsync(HttpContext context, EngineError error, bool isUpgrade, string? message = null, int? status = null)
    {
        message ??= MessageOf(error);
        var response = context.Response;
        byte[] body;
        if (isUpgrade)
        {
            response.StatusCode = status ?? StatusCodes.Status400BadRequest;
            response.ContentType = "text/html";
            response.Headers.Connection = "close";
            body = Encoding.UTF8.GetBytes(message);
        }
        else
        {
            response.StatusCode = status ?? (error == EngineError.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest);
            response.ContentType = "application/json";
            body = Encoding.UTF8.GetBytes($"{{\"code\":{(int)error},\"message\":{System.Text.Json.JsonSerializer.Serialize(message)}}}");
        }
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
