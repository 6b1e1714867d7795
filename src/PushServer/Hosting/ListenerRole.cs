using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace PushServer.Hosting;

/// <summary>Which of the two listeners a connection came in on.</summary>
internal enum ListenerRole
{
    /// <summary>Not tagged: a connection from neither listener.</summary>
    None,

    /// <summary>The client listener: <c>/socket.io/</c>.</summary>
    SocketIO,

    /// <summary>The push API listener: push endpoints, health, metrics.</summary>
    Push,
}

/// <summary>
/// Endpoint metadata naming the listener an endpoint belongs to. <see cref="ListenerIsolationMiddleware"/> hides
/// endpoints from the other listener, so push endpoints are unreachable on the client port and vice versa.
/// </summary>
/// <param name="Role">The listener that serves the endpoint.</param>
internal sealed record ListenerRoleMetadata(ListenerRole Role);

/// <summary>Tags connections with their listener and reads the tag back.</summary>
internal static class ListenerTag
{
    private const string ItemKey = "PushServer.Listener";

    /// <summary>Kestrel connection middleware that records <paramref name="role"/> on every connection of a listener.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> For(ListenerRole role) => next => connection =>
    {
        connection.Items[ItemKey] = role;
        return next(connection);
    };

    /// <summary>The listener the request's connection came in on.</summary>
    public static ListenerRole Of(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var role) == true && role is ListenerRole r
            ? r
            : ListenerRole.None;
}
