using System.Text.Json;
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
        var socket = new SocketIOSocket(this, connection, CreateSocketId(connection), CreateHandshake(connection, auth));
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
            // Rooms a middleware joined are dropped with the refused socket, as socket.io's _cleanup does.
            Adapter.DelAll(socket.Id);
            if (!connection.IsOpen)
            {
                return;
            }
            var (message, data) = ex is ConnectErrorException refusal ? (refusal.Message, refusal.ErrorData) : (ex.Message, null);
            Log.ConnectionRefused(Server.Logger, Name, message);
            connection.Send(SocketIOPacketEncoder.EncodeConnectError(Name, message, data, connection.Version, Server.SerializerOptions));
            return;
        }

        if (!connection.IsOpen)
        {
            Adapter.DelAll(socket.Id);
            return;
        }
        _sockets[socket.Id] = socket;
        connection.AddSocket(Name, socket);
        socket.OnConnected();

        if (_parent is not null)
        {
            RunConnectionHandlers(_parent.ConnectionHandlers, socket);
        }
        RunConnectionHandlers(_connectionHandlers, socket);
    }

    private void RunConnectionHandlers(Func<SocketIOSocket, ValueTask>[] handlers, SocketIOSocket socket)
    {
        foreach (var handler in handlers)
        {
            try
            {
                // Not awaited: a handler awaiting an ack from this client must not block the client's packets.
                var pending = handler(socket);
                if (!pending.IsCompletedSuccessfully)
                {
                    _ = ObserveConnectionHandlerAsync(pending);
                }
            }
            catch (Exception ex)
            {
                Log.ConnectionHandlerFailed(Server.Logger, Name, ex);
            }
        }
    }

    private async Task ObserveConnectionHandlerAsync(ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ConnectionHandlerFailed(Server.Logger, Name, ex);
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
        var h = connection.Session.Handshake;
        return new SocketIOHandshake(h.Headers, h.Query, auth, h.RemoteAddress, h.IsSecure, h.Url, h.IssuedAt);
    }
}
