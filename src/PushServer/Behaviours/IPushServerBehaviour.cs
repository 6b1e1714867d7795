using PushServer.SocketIO;

namespace PushServer.Behaviours;

/// <summary>
/// A feature the server adds on top of plain Socket.IO: relay rules, client rooms, web-msg-sender's login, webhooks,
/// JWT auth. Each is a singleton the container builds with what it needs, registered and applied in the order
/// <see cref="PushServerBehaviourExtensions"/> documents, once, before the listeners accept a connection. A behaviour
/// its configuration leaves off installs nothing.
/// </summary>
internal interface IPushServerBehaviour
{
    /// <summary>Installs the behaviour's connection handlers or namespace middlewares on <paramref name="io"/>.</summary>
    void Apply(SocketIOServer io);
}
