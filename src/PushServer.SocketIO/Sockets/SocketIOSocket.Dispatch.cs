using System.Text.Json;
using PushServer.SocketIO.Internal;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO;

public sealed partial class SocketIOSocket
{
    /// <summary>Handles a packet the client sent to this namespace (never CONNECT or CONNECT_ERROR).</summary>
    internal void OnPacket(SocketIOPacket packet)
    {
        switch (packet.Type)
        {
            case SocketIOPacketType.Event:
            case SocketIOPacketType.BinaryEvent:
                OnEvent(packet);
                break;
            case SocketIOPacketType.Ack:
            case SocketIOPacketType.BinaryAck:
                OnAck(packet);
                break;
            case SocketIOPacketType.Disconnect:
                OnClose(SocketIODisconnectReason.ClientNamespaceDisconnect);
                break;
        }
    }

    private void OnEvent(SocketIOPacket packet)
    {
        var root = packet.Payload!.RootElement;
        var first = root[0];
        // A numeric name is accepted by the reference and matched as its text, as JavaScript object keys are.
        var name = first.ValueKind == JsonValueKind.String ? first.GetString()! : first.GetRawText();
        var args = new SocketIOArgs(root, 1, packet.Attachments, Namespace.Server.SerializerOptions);
        var ev = new SocketIOEvent(this, name, args, packet.AckId);

        if (System.Threading.Volatile.Read(ref _handlers).PacketMiddlewares.Length == 0)
        {
            DispatchEvent(ev);
        }
        else
        {
            _ = RunPacketMiddlewaresAsync(ev);
        }
    }

    private async Task RunPacketMiddlewaresAsync(SocketIOEvent ev)
    {
        try
        {
            foreach (var middleware in System.Threading.Volatile.Read(ref _handlers).PacketMiddlewares)
            {
                await middleware(ev, DisconnectToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Log.PacketMiddlewareFailed(Namespace.Server.Logger, Id, ev.Name, ex);
            RaiseError(ex);
            return;
        }
        if (Connected)
        {
            DispatchEvent(ev);
        }
    }

    private void DispatchEvent(SocketIOEvent ev)
    {
        var table = System.Threading.Volatile.Read(ref _handlers);
        foreach (var any in table.Any)
        {
            try
            {
                any(ev);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(Namespace.Server.Logger, Namespace.Name, ev.Name, ex);
            }
        }

        var handlers = table.Find(ev.Name);
        if (handlers is null)
        {
            return;
        }
        foreach (var handler in handlers)
        {
            UnawaitedCall.Start(handler, ev, (Socket: this, Event: ev.Name),
                static (s, ex) => Log.HandlerFailed(s.Socket.Namespace.Server.Logger, s.Socket.Namespace.Name, s.Event, ex));
        }
    }

    private void OnAck(SocketIOPacket packet)
    {
        if (packet.AckId < 0)
        {
            return;
        }
        Action<SocketIOArgs>? callback = null;
        lock (Namespace.AckLock)
        {
            _acks?.Remove(packet.AckId, out callback);
        }
        // An unknown id (late, or never sent) is ignored, as the reference does.
        if (callback is null)
        {
            return;
        }
        try
        {
            callback(new SocketIOArgs(packet.Payload!.RootElement, 0, packet.Attachments, Namespace.Server.SerializerOptions));
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(Namespace.Server.Logger, Namespace.Name, "ack", ex);
        }
    }
}
