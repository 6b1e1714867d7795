using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using PushServer.EngineIO;
using PushServer.SocketIO.Internal;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO;

/// <summary>
/// The Socket.IO side of one Engine.IO session (socket.io's <c>Client</c>): decodes packets, routes them to the
/// socket of their namespace, enforces the protocol, and serialises writes so a binary packet's attachments
/// are never split by another packet.
/// </summary>
internal sealed partial class SocketIOConnection
{
    private static readonly JsonElement EmptyAuth = JsonDocument.Parse("{}").RootElement.Clone();

    private readonly SocketIOServer _server;
    private readonly SocketIOPacketDecoder _decoder;
    // Locks are taken on private objects rather than separate Lock instances: uncontended monitors cost nothing per
    // connection. _sendGate keeps a packet's attachments right behind its header when two threads send at once; it is
    // private so that no code holding a reference to the connection can take it and stall every send.
    private readonly object _socketsGate = new();
    private readonly object _sendGate = new();
    private NamespaceSockets _sockets;
    private LazyCancellation _closed;
    private ITimer? _connectTimer;
    private int _isClosed;
    private string? _closeReason;

    public SocketIOConnection(SocketIOServer server, IEngineSession session)
    {
        _server = server;
        Session = session;
        Version = session.Protocol.ToSocketIOProtocol();
        _decoder = new SocketIOPacketDecoder(
            server.Options.MaxAttachments, server.Options.MaxJsonDepth, server.Options.MaxNamespaceLength, server.Options.MaxEventNameLength);
    }

    public IEngineSession Session { get; }

    public SocketIOProtocolVersion Version { get; }

    public bool IsOpen => System.Threading.Volatile.Read(ref _isClosed) == 0 && Session.IsOpen;

    /// <summary>Cancelled when the connection closes; handed to connection middlewares.</summary>
    public CancellationToken Closed => _closed.GetToken();

    /// <summary>Why the connection closed, as its sockets hear it; <c>transport close</c> until that is known.</summary>
    public string CloseReason => System.Threading.Volatile.Read(ref _closeReason) ?? SocketIODisconnectReason.TransportClose;

    public ValueTask OnOpenedAsync()
    {
        if (Version == SocketIOProtocolVersion.V4)
        {
            // Protocol v4 clients are in "/" from the start; the server joins them without a CONNECT.
            return ConnectAsync("/", EmptyAuth);
        }
        _connectTimer = _server.TimeProvider.CreateTimer(
            static s => ((SocketIOConnection)s!).OnConnectTimeout(), this, _server.Options.ConnectTimeout, Timeout.InfiniteTimeSpan);
        return default;
    }

    public ValueTask OnTextAsync(ReadOnlyMemory<byte> utf8)
    {
        if (!IsOpen)
        {
            return default;
        }
        var status = _decoder.DecodeText(utf8, out var packet, out var error);
        return Continue(status, packet, error);
    }

    public ValueTask OnBinaryAsync(ReadOnlyMemory<byte> data)
    {
        if (!IsOpen)
        {
            return default;
        }
        var status = _decoder.DecodeBinary(data, out var packet, out var error);
        return Continue(status, packet, error);
    }

    private ValueTask Continue(DecodeStatus status, SocketIOPacket? packet, string? error)
    {
        switch (status)
        {
            case DecodeStatus.Complete:
                return DispatchAsync(packet!);
            case DecodeStatus.Error:
                Log.ParseError(_server.Logger, Session.Id, error!);
                if (_decoder.LimitHit is { } limit)
                {
                    SocketIOMetrics.Limit(limit);
                }
                Close(SocketIODisconnectReason.ParseError, EngineCloseReason.ParseError);
                return default;
            default:
                return default;
        }
    }

    private ValueTask DispatchAsync(SocketIOPacket packet)
    {
        var nsp = packet.Namespace;
        string? query = null;
        if (Version == SocketIOProtocolVersion.V4)
        {
            // Protocol v4 carries auth as a query string on the namespace ("40/admin?token=abc,").
            var q = nsp.IndexOf('?');
            if (q >= 0)
            {
                query = nsp[(q + 1)..];
                nsp = nsp[..q];
            }
        }

        SocketIOSocket? socket;
        lock (_socketsGate)
        {
            socket = _sockets.Get(nsp);
        }

        if (socket is null && packet.Type == SocketIOPacketType.Connect)
        {
            var auth = Version == SocketIOProtocolVersion.V4 ? QueryToAuth(query) : packet.Payload?.RootElement ?? EmptyAuth;
            return ConnectAsync(nsp, auth);
        }
        if (socket is not null && packet.Type is not (SocketIOPacketType.Connect or SocketIOPacketType.ConnectError))
        {
            socket.OnPacket(packet);
            return default;
        }

        // A packet for a namespace not joined, a second CONNECT, or a CONNECT_ERROR from the client.
        Log.ProtocolViolation(_server.Logger, Session.Id, packet.Type, nsp);
        Close(SocketIODisconnectReason.ForcedServerClose, EngineCloseReason.ForcedClose);
        return default;
    }

    private ValueTask ConnectAsync(string name, JsonElement auth)
    {
        if (!_server.TryGetNamespace(name, auth, out var nsp))
        {
            // Refused, but the connection stays open for other namespaces.
            Log.InvalidNamespace(_server.Logger, Session.Id, name);
            Send(SocketIOPacketEncoder.EncodeInvalidNamespace(name, _server.SerializerOptions));
            return default;
        }
        return nsp.ConnectAsync(this, auth);
    }

    private void OnConnectTimeout()
    {
        bool empty;
        lock (_socketsGate)
        {
            empty = _sockets.IsEmpty;
        }
        if (empty && IsOpen)
        {
            Log.ConnectTimeout(_server.Logger, Session.Id);
            Close(SocketIODisconnectReason.ForcedClose, EngineCloseReason.ForcedClose);
        }
    }

    public void AddSocket(string nsp, SocketIOSocket socket)
    {
        lock (_socketsGate)
        {
            _sockets.Set(nsp, socket);
        }
        // Once a namespace is joined the timeout has done its job, as in socket.io's doConnect.
        Interlocked.Exchange(ref _connectTimer, null)?.Dispose();
    }

    public void RemoveSocket(string nsp, SocketIOSocket socket)
    {
        lock (_socketsGate)
        {
            _sockets.Remove(nsp, socket);
        }
    }

    /// <summary>The engine closed the session; each socket sees the reason we closed it with, or the engine's.</summary>
    public void OnClosed(EngineCloseReason reason)
    {
        if (Interlocked.Exchange(ref _isClosed, 1) == 0)
        {
            _closeReason = reason.ToReasonString();
        }
        Shutdown(_closeReason ?? reason.ToReasonString());
    }

    /// <summary>
    /// socket.io's <c>client._disconnect()</c>: every socket is disconnected from its namespace (DISCONNECT sent, so the
    /// client hears <c>io server disconnect</c> and stays away; recovery state is not kept), then the engine closes
    /// after delivering those packets.
    /// </summary>
    public void DisconnectAll()
    {
        SocketIOSocket[] sockets;
        lock (_socketsGate)
        {
            sockets = _sockets.ToArray();
        }
        foreach (var socket in sockets)
        {
            socket.Disconnect();
        }
        Close(SocketIODisconnectReason.ForcedServerClose, EngineCloseReason.ForcedClose);
    }

    /// <summary>Closes the whole connection: sockets disconnect with <paramref name="socketReason"/> now, the engine follows.</summary>
    public void Close(string socketReason, EngineCloseReason engineReason)
    {
        if (Interlocked.Exchange(ref _isClosed, 1) != 0)
        {
            return;
        }
        _closeReason = socketReason;
        Shutdown(socketReason);
        Session.Close(engineReason);
    }

    private void Shutdown(string reason)
    {
        Interlocked.Exchange(ref _connectTimer, null)?.Dispose();
        SocketIOSocket[] sockets;
        lock (_socketsGate)
        {
            sockets = _sockets.TakeAll();
        }
        foreach (var socket in sockets)
        {
            socket.OnClose(reason);
        }
        _closed.Cancel();
    }

    public bool Send(EnginePacket packet)
    {
        lock (_sendGate)
        {
            return Session.Send(packet);
        }
    }

    public bool Send(EncodedPacket packet, bool isVolatile)
    {
        lock (_sendGate)
        {
            if (isVolatile ? !Session.SendVolatile(packet.Text) : !Session.Send(packet.Text))
            {
                return false;
            }
            // Once the header is queued its attachments must follow, volatile or not, or the client's decoder breaks.
            foreach (var attachment in packet.Attachments)
            {
                Session.Send(attachment);
            }
            return true;
        }
    }

    private static JsonElement QueryToAuth(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return EmptyAuth;
        }
        var parsed = QueryHelpers.ParseQuery(query);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, values) in parsed)
            {
                writer.WriteString(key, values.ToString());
            }
            writer.WriteEndObject();
        }
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement;
    }
}
