namespace PushServer.SocketIO.Adapters;

/// <summary>The default factory: an <see cref="InMemoryAdapter"/> per namespace.</summary>
public sealed class InMemoryAdapterFactory : ISocketIOAdapterFactory
{
    /// <inheritdoc />
    public SocketIOAdapter Create(SocketIONamespace nsp) => new InMemoryAdapter(nsp);
}
