using Microsoft.Extensions.Logging;
using PushServer.EngineIO;

namespace PushServer.SocketIO;

/// <summary>
/// The Socket.IO layer as the Engine.IO server sees it: hand this to the Engine.IO endpoint. Exceptions never
/// escape into the engine's loop; they are logged.
/// </summary>
public sealed partial class SocketIOConnectionHandler : IEngineConnectionHandler
{
    private readonly SocketIOServer _server;

    internal SocketIOConnectionHandler(SocketIOServer server)
    {
        _server = server;
    }

    /// <inheritdoc />
    public ValueTask OnOpenedAsync(IEngineSession session)
    {
        var connection = new SocketIOConnection(_server, session);
        session.State = connection;
        return Guard(connection.OnOpenedAsync(), session);
    }

    /// <inheritdoc />
    public ValueTask OnTextAsync(IEngineSession session, ReadOnlyMemory<byte> utf8) =>
        Dispatch(session, utf8, static (connection, payload) => connection.OnTextAsync(payload));

    /// <inheritdoc />
    public ValueTask OnBinaryAsync(IEngineSession session, ReadOnlyMemory<byte> data) =>
        Dispatch(session, data, static (connection, payload) => connection.OnBinaryAsync(payload));

    // Hands a frame to the session's connection; a static handler keeps the hot path free of closures.
    private ValueTask Dispatch(IEngineSession session, ReadOnlyMemory<byte> payload,
        Func<SocketIOConnection, ReadOnlyMemory<byte>, ValueTask> handle)
    {
        if (session.State is not SocketIOConnection connection)
        {
            return default;
        }
        try
        {
            return Guard(handle(connection, payload), session);
        }
        catch (Exception ex)
        {
            Log.UnexpectedError(_server.Logger, session.Id, ex);
            return default;
        }
    }

    /// <inheritdoc />
    public void OnClosed(IEngineSession session, EngineCloseReason reason)
    {
        if (session.State is not SocketIOConnection connection)
        {
            return;
        }
        try
        {
            connection.OnClosed(reason);
        }
        catch (Exception ex)
        {
            Log.UnexpectedError(_server.Logger, session.Id, ex);
        }
    }

    private ValueTask Guard(ValueTask pending, IEngineSession session)
    {
        if (pending.IsCompletedSuccessfully)
        {
            return default;
        }
        return GuardAsync(pending, session);
    }

    private async ValueTask GuardAsync(ValueTask pending, IEngineSession session)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.UnexpectedError(_server.Logger, session.Id, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = SocketIOEventIds.UnexpectedError, Level = LogLevel.Error,
            Message = "Unexpected error while handling connection {SessionId}")]
        public static partial void UnexpectedError(ILogger logger, string sessionId, Exception exception);
    }
}
