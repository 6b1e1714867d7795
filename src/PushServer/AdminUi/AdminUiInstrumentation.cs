using Microsoft.Extensions.Logging;
using PushServer.Configuration;
using PushServer.EngineIO;
using PushServer.SocketIO;
using PushServer.SocketIO.Adapters;

namespace PushServer.AdminUi;

/// <summary>
/// The server side of @socket.io/admin-ui 0.5 (its <c>instrument(io, options)</c>): the admin namespace with its
/// authentication, <c>config</c> and <c>all_sockets</c> for each UI that connects, <c>server_stats</c> on a timer, and
/// in development mode every socket, room and event change as it happens. Everything is emitted to the admin namespace
/// through the adapter, so with Redis a UI connected to any node, PushServer or Node running instrument(), sees every
/// node, and its actions reach every node.
/// </summary>
internal static partial class AdminUiInstrumentation
{
    /// <summary>
    /// Instruments <paramref name="io"/> when enabled. Call after the configured namespaces exist: those created later
    /// (dynamic ones) are counted in the stats and listed by all_sockets but send no live changes.
    /// </summary>
    /// <returns>What to dispose at shutdown (the stats timer), or null when disabled.</returns>
    public static IDisposable? Apply(
        SocketIOServer io, AdminUiSettings settings, EngineServer engine, AdminUiTraffic traffic, TimeProvider time, ILogger logger)
    {
        if (!settings.Enabled)
        {
            return null;
        }
        var development = settings.Mode == AdminUiSettings.DevelopmentMode;
        var features = new List<string>();
        if (!settings.ReadOnly)
        {
            features.AddRange(AdminUiActions.Features);
        }
        features.Add(AdminUiProtocol.Feature.AggregatedEvents);
        if (development)
        {
            features.Add(AdminUiProtocol.Feature.AllEvents);
        }
        var config = new { supportedFeatures = features };

        var adminNamespace = io.Of(settings.Namespace);
        var authentication = new AdminUiAuthentication(settings, new AdminLoginGuard(time), logger);
        authentication.Apply(adminNamespace);
        if (settings.AllowNoAuth)
        {
            Log.NoAuthentication(logger, settings.Namespace);
        }
        adminNamespace.OnConnection(async socket =>
        {
            if (!settings.ReadOnly)
            {
                AdminUiActions.Register(io, socket);
            }
            authentication.SendSession(socket);
            socket.Emit(AdminUiProtocol.Config, config);
            if (development)
            {
                socket.Emit(AdminUiProtocol.AllSockets, await AllSocketsAsync(io, socket.DisconnectToken));
            }
        });
        if (development)
        {
            var live = new AdminUiLiveEvents(adminNamespace, time);
            traffic.Upgraded += live.OnUpgraded;
            foreach (var nsp in io.Namespaces)
            {
                live.Observe(nsp);
            }
        }
        Log.Enabled(logger, settings.Namespace, settings.ReadOnly, settings.Mode);
        var serverId = settings.ServerId.Length > 0 ? settings.ServerId : Environment.MachineName;
        return new ServerStatsEmitter(io, adminNamespace, engine, traffic, time, serverId, TimeSpan.FromMilliseconds(settings.ServerStatsIntervalMs), logger);
    }

    /// <summary>Every socket of every namespace on every node (fetchSockets per namespace, as instrument() does).</summary>
    private static async Task<List<object>> AllSocketsAsync(SocketIOServer io, CancellationToken cancellationToken)
    {
        var options = io.SerializerOptions;
        var all = new List<object>();
        foreach (var nsp in io.Namespaces.ToArray())
        {
            IReadOnlyList<RemoteSocket> sockets;
            try
            {
                sockets = await nsp.FetchSocketsAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The UI left meanwhile; there is nobody to answer.
                return all;
            }
            foreach (var remote in sockets)
            {
                // This node's sockets are read directly: their transport and Engine.IO id are not in their data.
                all.Add(nsp.Sockets.TryGetValue(remote.Id, out var local)
                    ? AdminUiSocketSerializer.Serialize(local, options)
                    : AdminUiSocketSerializer.Serialize(remote, nsp.Name, options));
            }
        }
        return all;
    }

    internal static partial class Log
    {
        [LoggerMessage(EventId = PushServerEventIds.AdminUiEnabled, Level = LogLevel.Information,
            Message = "Admin UI namespace {Namespace} enabled (read-only: {ReadOnly}, mode: {Mode})")]
        public static partial void Enabled(ILogger logger, string @namespace, bool readOnly, string mode);

        [LoggerMessage(EventId = PushServerEventIds.AdminUiNoAuthentication, Level = LogLevel.Warning,
            Message = "Admin UI namespace {Namespace} accepts anyone (AdminUi:AllowNoAuth): every client's headers and actions on them are open")]
        public static partial void NoAuthentication(ILogger logger, string @namespace);

        [LoggerMessage(EventId = PushServerEventIds.AdminUiLoginLockedOut, Level = LogLevel.Warning,
            Message = "Admin UI logins from {Address} refused for a while: {Failures} failed within {WindowSeconds} s")]
        public static partial void LoginLockedOut(ILogger logger, string address, int failures, double windowSeconds);
    }
}
