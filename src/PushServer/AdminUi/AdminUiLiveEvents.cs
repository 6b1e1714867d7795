using System.Collections.Concurrent;
using PushServer.SocketIO;
using PushServer.SocketIO.Adapters;

namespace PushServer.AdminUi;

/// <summary>
/// Development mode's live feed (instrument()'s <c>registerVerboseListeners</c>): socket_connected,
/// socket_disconnected, room_joined, room_left, and for namespaces other than the admin one event_received and
/// event_sent, each emitted to the admin namespace with a timestamp; and socket_updated with the new transport when a
/// connection upgrades from polling to WebSocket.
/// </summary>
internal sealed class AdminUiLiveEvents
{
    private readonly SocketIONamespace _admin;
    private readonly TimeProvider _time;
    // The sockets of each connection still on polling, by Engine.IO id: an upgrade names only the connection. An entry
    // goes with the upgrade or the last socket's disconnect, so only live polling sockets are held.
    private readonly ConcurrentDictionary<string, (string Nsp, string Id)[]> _pollingSockets = new(StringComparer.Ordinal);

    public AdminUiLiveEvents(SocketIONamespace admin, TimeProvider time)
    {
        _admin = admin;
        _time = time;
    }

    public void Observe(SocketIONamespace nsp)
    {
        var name = nsp.Name;
        var options = nsp.Server.SerializerOptions;
        var isAdmin = ReferenceEquals(nsp, _admin);
        nsp.OnConnection(socket =>
        {
            _admin.Emit(AdminUiProtocol.SocketConnected, AdminUiSocketSerializer.Serialize(socket, options), Now());
            var id = socket.Id;
            var connectionId = socket.ConnectionId;
            var polling = socket.TransportName == "polling";
            if (polling)
            {
                _pollingSockets.AddOrUpdate(connectionId, static (_, s) => [s], static (_, all, s) => [.. all, s], (name, id));
            }
            socket.OnDisconnect(reason =>
            {
                if (polling)
                {
                    Forget(connectionId, (name, id));
                }
                _admin.Emit(AdminUiProtocol.SocketDisconnected, name, id, reason, Now());
            });
            if (isAdmin)
            {
                return;
            }
            socket.OnAny(e =>
            {
                var args = new object?[e.Args.Count + 1];
                args[0] = e.Name;
                for (var i = 0; i < e.Args.Count; i++)
                {
                    args[i + 1] = e.Args[i].Clone();
                }
                _admin.Emit(AdminUiProtocol.EventReceived, name, id, args, Now());
            });
            socket.OnAnyOutgoing((eventName, eventArgs) =>
            {
                var args = new object?[eventArgs.Count + 1];
                args[0] = eventName;
                for (var i = 0; i < eventArgs.Count; i++)
                {
                    args[i + 1] = eventArgs[i];
                }
                _admin.Emit(AdminUiProtocol.EventSent, name, id, args, Now());
            });
        });
        // Redis adapters derive from the in-memory one, which raises these for this node's sockets.
        if (nsp.Adapter is InMemoryAdapter adapter)
        {
            adapter.RoomJoined += (room, id) => _admin.Emit(AdminUiProtocol.RoomJoined, name, room, id, Now());
            adapter.RoomLeft += (room, id) => _admin.Emit(AdminUiProtocol.RoomLeft, name, room, id, Now());
        }
    }

    /// <summary>A connection upgraded: instrument()'s socket_updated for each of its sockets, with the new transport.</summary>
    public void OnUpgraded(string connectionId)
    {
        if (!_pollingSockets.TryRemove(connectionId, out var sockets))
        {
            return;
        }
        foreach (var (nsp, id) in sockets)
        {
            _admin.Emit(AdminUiProtocol.SocketUpdated, new { id, nsp, transport = "websocket" });
        }
    }

    private void Forget(string connectionId, (string Nsp, string Id) socket)
    {
        while (_pollingSockets.TryGetValue(connectionId, out var sockets))
        {
            var rest = Array.FindAll(sockets, s => s != socket);
            var done = rest.Length == 0
                ? _pollingSockets.TryRemove(new KeyValuePair<string, (string, string)[]>(connectionId, sockets))
                : _pollingSockets.TryUpdate(connectionId, rest, sockets);
            if (done)
            {
                return;
            }
        }
    }

    private string Now() => AdminUiProtocol.Timestamp(_time.GetUtcNow());
}
