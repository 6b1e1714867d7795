using Microsoft.Extensions.Logging;
using PushServer.EngineIO;
using PushServer.SocketIO;

namespace PushServer.AdminUi;

/// <summary>
/// Sends this node's <c>server_stats</c> to the admin namespace (every node's UI sockets, through the adapter) every
/// <c>AdminUi:ServerStatsIntervalMs</c>, as instrument()'s stats emitter does; the UI lists one server per
/// <c>serverId</c>. The first goes one period after start (instrument() sends one at once, to nobody yet: no UI can
/// have connected before the server listens).
/// </summary>
internal sealed partial class ServerStatsEmitter : IDisposable
{
    private readonly SocketIOServer _io;
    private readonly SocketIONamespace _adminNamespace;
    private readonly EngineServer _engine;
    private readonly AdminUiTraffic _traffic;
    private readonly TimeProvider _time;
    private readonly string _serverId;
    private readonly long _started;
    private readonly ITimer _timer;
    private readonly ILogger _logger;

    public ServerStatsEmitter(
        SocketIOServer io, SocketIONamespace adminNamespace, EngineServer engine, AdminUiTraffic traffic, TimeProvider time, string serverId, TimeSpan interval,
        ILogger logger)
    {
        _logger = logger;
        _io = io;
        _adminNamespace = adminNamespace;
        _engine = engine;
        _traffic = traffic;
        _time = time;
        _serverId = serverId;
        _started = time.GetTimestamp();
        _timer = time.CreateTimer(static s => ((ServerStatsEmitter)s!).Tick(), this, interval, interval);
    }

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        try
        {
            Emit();
        }
        catch (Exception e)
        {
            // A timer callback that throws would end the process; the next tick tries again.
            Log.StatsFailed(_logger, e);
        }
    }

    private void Emit()
    {
        var namespaces = new List<object>();
        foreach (var nsp in _io.Namespaces)
        {
            namespaces.Add(new { name = nsp.Name, socketsCount = nsp.Sockets.Count });
        }
        var clients = _engine.SessionCount;
        _adminNamespace.Emit(AdminUiProtocol.ServerStats, new
        {
            serverId = _serverId,
            hostname = Environment.MachineName,
            pid = Environment.ProcessId,
            uptime = _time.GetElapsedTime(_started).TotalSeconds,
            clientsCount = clients,
            // Sessions that have not (yet) upgraded to WebSocket.
            pollingClientsCount = Math.Max(0, clients - _engine.WebSocketCount),
            // The dashboard's connection and byte charts.
            aggregatedEvents = _traffic.TakeAggregatedEvents(_time.GetUtcNow()),
            namespaces,
        });
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = PushServerEventIds.AdminUiStatsFailed, Level = LogLevel.Error, Message = "Admin UI server_stats could not be sent")]
        public static partial void StatsFailed(ILogger logger, Exception exception);
    }
}
