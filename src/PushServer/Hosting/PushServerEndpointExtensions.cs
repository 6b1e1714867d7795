using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PushServer.EngineIO;
using PushServer.PushApi;

namespace PushServer.Hosting;

/// <summary>Start-up step: the Socket.IO, demo and push API endpoints, and the middlewares every request passes.</summary>
internal static class PushServerEndpointExtensions
{
    /// <summary>
    /// Maps Engine.IO at <see cref="PushServerHost.SocketIOPath"/> and the demo page on the Socket.IO listener, and
    /// the push API and, when enabled, the Admin UI page on the push listener.
    /// </summary>
    public static WebApplication MapPushServerEndpoints(this WebApplication app)
    {
        var socketIORole = new ListenerRoleMetadata(ListenerRole.SocketIO);
        app.MapEngineIO(PushServerHost.SocketIOPath, app.Services.GetRequiredService<EngineServer>()).WithMetadata(socketIORole);
        app.MapDemo(socketIORole);
        app.MapPushApi();
        app.MapAdminUiPage(new ListenerRoleMetadata(ListenerRole.Push));
        return app;
    }

    /// <summary>
    /// The middlewares, all after routing, in this order: the other listener's endpoints are hidden first, so the
    /// later ones see such a request as not found; then new Socket.IO handshakes are refused while draining; then the
    /// push listener's gate checks host name, path, token, site and draining.
    /// </summary>
    public static WebApplication UsePushServerMiddleware(this WebApplication app)
    {
        app.UseMiddleware<ListenerIsolationMiddleware>();
        app.UseMiddleware<HandshakeDrainMiddleware>();
        app.UseMiddleware<PushApiGateMiddleware>();
        return app;
    }
}
