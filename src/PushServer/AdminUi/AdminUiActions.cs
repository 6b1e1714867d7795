using System.Text.Json;
using PushServer.SocketIO;

namespace PushServer.AdminUi;

/// <summary>
/// The UI's buttons (instrument()'s <c>registerFeatureHandlers</c> for Socket.IO v4): emit to, join, leave and
/// disconnect the sockets of a namespace, or of a room of it (the UI passes a socket id as that room to act on one
/// socket), across every node through the adapter. Not registered in read-only mode, so those events do nothing.
/// </summary>
internal static class AdminUiActions
{
    public static readonly string[] Features =
    [
        AdminUiProtocol.Feature.Emit,
        AdminUiProtocol.Feature.Join,
        AdminUiProtocol.Feature.Leave,
        AdminUiProtocol.Feature.Disconnect,
        AdminUiProtocol.Feature.ManyJoin,
        AdminUiProtocol.Feature.ManyLeave,
        AdminUiProtocol.Feature.ManyDisconnect,
    ];

    public static void Register(SocketIOServer io, SocketIOSocket admin)
    {
        // emit(nsp, filter, ev, ...args)
        admin.On(AdminUiProtocol.EmitAction, e =>
        {
            if (Target(io, e.Args, filterIndex: 1) is not { } target || String(e.Args, 2) is not { } name)
            {
                return;
            }
            var args = new object?[Math.Max(0, e.Args.Count - 3)];
            for (var i = 3; i < e.Args.Count; i++)
            {
                args[i - 3] = e.Args[i].Clone();
            }
            target.Emit(name, args);
        });
        // join(nsp, room, filter?) and leave(nsp, room, filter?)
        admin.On(AdminUiProtocol.JoinAction, e =>
        {
            if (Target(io, e.Args, filterIndex: 2) is { } target && String(e.Args, 1) is { Length: > 0 } room)
            {
                target.SocketsJoin(room);
            }
        });
        admin.On(AdminUiProtocol.LeaveAction, e =>
        {
            if (Target(io, e.Args, filterIndex: 2) is { } target && String(e.Args, 1) is { Length: > 0 } room)
            {
                target.SocketsLeave(room);
            }
        });
        // _disconnect(nsp, close, filter?)
        admin.On(AdminUiProtocol.DisconnectAction, e =>
        {
            if (Target(io, e.Args, filterIndex: 2) is { } target)
            {
                var close = e.Args.Count > 1 && e.Args[1].ValueKind == JsonValueKind.True;
                target.DisconnectSockets(close);
            }
        });
    }

    /// <summary>
    /// The namespace's sockets, or those of the room in the filter argument. Only an existing namespace: an action must
    /// not create one (io.of() would).
    /// </summary>
    private static BroadcastOperator? Target(SocketIOServer io, SocketIOArgs args, int filterIndex)
    {
        SocketIONamespace? nsp = null;
        if (String(args, 0) is not { } name)
        {
            return null;
        }
        foreach (var candidate in io.Namespaces)
        {
            if (candidate.Name == name)
            {
                nsp = candidate;
                break;
            }
        }
        if (nsp is null)
        {
            return null;
        }
        // A namespace-wide operator: an empty room list reaches every socket of it.
        return String(args, filterIndex) is { Length: > 0 } filter ? nsp.In(filter) : nsp.To([]);
    }

    private static string? String(SocketIOArgs args, int index) =>
        args.Count > index && args[index].ValueKind == JsonValueKind.String ? args.GetString(index) : null;
}
