namespace PushServer.SocketIO.Adapters;

/// <summary>Creates the adapter of each namespace. Registered in DI; replace it to change the adapter.</summary>
public interface ISocketIOAdapterFactory
{
    /// <summary>Creates the adapter for <paramref name="nsp"/>.</summary>
    SocketIOAdapter Create(SocketIONamespace nsp);
}
