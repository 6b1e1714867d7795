using Microsoft.AspNetCore.Http;

namespace PushServer.Hosting;

/// <summary>
/// Runs after routing: an endpoint that belongs to the other listener is treated as not found, so the push API is
/// unreachable on the client port and <c>/socket.io/</c> on the push port, whatever the ports are.
/// </summary>
internal sealed class ListenerIsolationMiddleware(RequestDelegate next)
{
    /// <summary>Hides endpoints of the other listener.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is not null && endpoint.Metadata.GetMetadata<ListenerRoleMetadata>()?.Role != ListenerTag.Of(context))
        {
            context.SetEndpoint(null);
        }
        return next(context);
    }
}
