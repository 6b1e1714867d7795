using PushServer.EngineIO;
using PushServer.SocketIO;

namespace PushServer.AdminUi;

/// <summary>
/// Sends this node's <c>server_stats</c> to the admin namespace (every node's UI sockets, through the adapter) at start
/// and then every <c>AdminUi:ServerStatsIntervalMs</c>, as instrument()'s stats emitter does; the UI lists one server
/// per <c>serverId</c>.
/// </summary>
internal sealed class ServerStatsEmitter : IDisposable
{
    private readonly SocketIOServer _io;
    private readonly SocketIONamespace _adminNamespace;
    private readonly EngineServer _engine;
    private readonly TimeProvider _time;
    private readonly string _serverId;
    private readonly long _started;
    private readonly ITimer _timer;

    public ServerStatsEmitter(
        SocketIOServer io, SocketIONamespace adminNamespace, EngineServer engine, TimeProvider time, string serverId, TimeSpan interval)
    {
        _io = io;
        _adminNamespace = adminNamespace;
        _engine = engine;
        _time = time;
        _serverId = serverId;
        _started = time.GetTimestamp();
        _timer = time.CreateTimer(static s => ((ServerStatsEmitter)s!).Emit(), this, TimeSpan.Zero, interval);
    }

    public void Dispose() => _timer.Dispose();

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
            // Per-second packet and byte counts are not collected yet; the UI draws empty charts from an empty list.
            aggregatedEvents = Array.Empty<object>(),
            namespaces,
        });
    }
}
