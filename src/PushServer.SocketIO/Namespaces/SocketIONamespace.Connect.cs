using System.Text.Json;
using PushServer.SocketIO.Internal;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO;

public sealed partial class SocketIONamespace
{
    /// <summary>
    /// Runs the connection middlewares for a client joining this namespace, then either refuses it with
    /// CONNECT_ERROR or registers the socket, answers CONNECT and runs the connection handlers.
    /// </summary>
    internal async ValueTask ConnectAsync(SocketIOConnection connection, JsonElement auth)
    {
        var recovery = Server.Options.ConnectionStateRecovery;
        SocketIOSocket? socket = null;
        if (recovery is not null && connection.Version == SocketIOProtocolVersion.V5
            && auth.ValueKind == JsonValueKind.Object
            && auth.TryGetProperty("pid", out var pid) && pid.ValueKind == JsonValueKind.String
            && auth.TryGetProperty("offset", out var offset) && offset.ValueKind == JsonValueKind.String)
        {
            socket = await TryRecoverAsync(connection, auth, LenientJsonString.Read(pid), LenientJsonString.Read(offset)).ConfigureAwait(false);
        }
        var recovered = socket is not null;
        socket ??= new SocketIOSocket(
            this, connection, CreateSocketId(connection), CreateHandshake(connection, auth),
            recovery is not null && connection.Version == SocketIOProtocolVersion.V5 ? SocketIdGenerator.NewId() : null);
        if (recovered && recovery!.SkipMiddlewares)
        {
            CompleteConnect(connection, socket);
            return;
        }
        try
        {
            if (_parent is not null)
            {
                foreach (var middleware in _parent.Middlewares)
                {
                    await middleware(socket, connection.Closed).ConfigureAwait(false);
                }
            }
            foreach (var middleware in _middlewares)
            {
                await middleware(socket, connection.Closed).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            if (!connection.IsOpen)
            {
                AbandonConnect(connection, socket);
                return;
            }
            // Rooms a middleware joined are dropped with the refused socket, as socket.io's _cleanup does.
            socket.AbandonRecovery();
            Remove(socket);
            Adapter.DelAll(socket.Id);
            var (message, data) = ex is ConnectErrorException refusal ? (refusal.Message, refusal.ErrorData) : (ex.Message, null);
            Log.ConnectionRefused(Server.Logger, Name, message);
            connection.Send(SocketIOPacketEncoder.EncodeConnectError(Name, message, data, connection.Version, Server.SerializerOptions));
            return;
        }

        CompleteConnect(connection, socket);
    }

    private void CompleteConnect(SocketIOConnection connection, SocketIOSocket socket)
    {
        if (!connection.IsOpen)
        {
            AbandonConnect(connection, socket);
            return;
        }
        _sockets[socket.Id] = socket;
        connection.AddSocket(Name, socket);
        socket.OnConnected();
        if (!connection.IsOpen)
        {
            // Closed between the check above and the registration: the connection's shutdown may have run before the
            // socket was connected, so it leaves now (once, whoever gets there first) instead of staying registered.
            socket.OnClose(connection.CloseReason);
            return;
        }

        if (_parent is not null)
        {
            RunConnectionHandlers(_parent.ConnectionHandlers, socket);
        }
        RunConnectionHandlers(_connectionHandlers, socket);
    }

    /// <summary>
    /// A socket whose connection closed before it connected (a server-side close or a drain during its recovery or
    /// its middlewares) is dropped, as socket.io ignores it; a recovered session is kept again, as the close would have
    /// kept it a moment later, so the client's next attempt with the same pid and offset still recovers.
    /// </summary>
    private void AbandonConnect(SocketIOConnection connection, SocketIOSocket socket)
    {
        socket.AbandonRecovery();
        socket.KeepRecoveredSession(connection.CloseReason);
        Remove(socket);
        Adapter.DelAll(socket.Id);
    }

    /// <summary>
    /// Gives a reconnecting client its old socket back when the adapter still holds its session: same id, rooms and
    /// data, and the missed events queued behind the CONNECT reply. Null when there is nothing to recover.
    /// </summary>
    private async ValueTask<SocketIOSocket?> TryRecoverAsync(SocketIOConnection connection, JsonElement auth, string pid, string offset)
    {
        SocketIOSocket? socket = null;
        try
        {
            await Adapter.RestoreSessionAsync(pid, offset, restored =>
            {
                var session = restored.Session;
                if (!connection.IsOpen || _sockets.ContainsKey(session.Sid))
                {
                    return false;
                }
                var recovered = new SocketIOSocket(this, connection, session.Sid, CreateHandshake(connection, auth), session.Pid)
                {
                    Data = session.Data,
                };
                var missed = new Protocol.EncodedPacket[restored.MissedPackets.Count];
                for (var i = 0; i < missed.Length; i++)
                {
                    missed[i] = restored.MissedPackets[i].GetEncoded(SocketIOProtocolVersion.V5, Server.SerializerOptions);
                }
                recovered.BeginRecovery(missed);
                // Registered and in its rooms from here on, so events sent from now reach it (behind the missed ones).
                _sockets[session.Sid] = recovered;
                Adapter.AddAll(session.Sid, session.Rooms);
                socket = recovered;
                return true;
            }, connection.Closed).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // As socket.io does: a failing adapter means a normal new connection, not a refused one.
            Log.RecoveryFailed(Server.Logger, Name, ex);
            return null;
        }
        if (socket is not null)
        {
            Log.SessionRecovered(Server.Logger, Name, socket.Id);
        }
        return socket;
    }

    private void RunConnectionHandlers(Func<SocketIOSocket, ValueTask>[] handlers, SocketIOSocket socket)
    {
        foreach (var handler in handlers)
        {
            // Not awaited: a handler awaiting an ack from this client must not block the client's packets.
            UnawaitedCall.Start(handler, socket, this, static (nsp, ex) => Log.ConnectionHandlerFailed(nsp.Server.Logger, nsp.Name, ex));
        }
    }

    private string CreateSocketId(SocketIOConnection connection)
    {
        // Protocol v4 clients expect ids derived from the Engine.IO sid; v5 gets a fresh unguessable id per join.
        if (connection.Version == SocketIOProtocolVersion.V4)
        {
            return Name == "/" ? connection.Session.Id : Name + "#" + connection.Session.Id;
        }
        return SocketIdGenerator.NewId();
    }

    private static SocketIOHandshake CreateHandshake(SocketIOConnection connection, JsonElement auth)
    {
        return new SocketIOHandshake(connection.Session.Handshake, auth);
    }
}
