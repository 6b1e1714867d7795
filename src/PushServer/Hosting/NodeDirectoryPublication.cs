using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PushServer.Configuration;
using PushServer.EngineIO.Routing;
using PushServer.SocketIO.Redis.Routing;

namespace PushServer.Hosting;

/// <summary>
/// Publishes this node in the Redis node directory once its Socket.IO port is bound (its port may have been picked
/// at start), and withdraws it when the server stops, so other nodes stop relaying to it.
/// </summary>
internal sealed partial class NodeDirectoryPublication(
    RedisNodeDirectory directory,
    ClusterSessionRouter router,
    ListenerEndpoints listeners,
    IOptions<ClusterSettings> settings,
    IHostApplicationLifetime lifetime,
    ILogger<NodeDirectoryPublication> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Publish);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await directory.DisposeAsync().ConfigureAwait(false);

    private void Publish()
    {
        var url = AdvertisedUrl(settings.Value, listeners);
        if (url is null)
        {
            Log.NotPublished(logger);
            return;
        }
        directory.Start(router.NodeTag, url);
        Log.Published(logger, router.NodeTag, url);
    }

    /// <summary>The configured URL, or one made of the bound address (a machine address for a wildcard) and port.</summary>
    internal static Uri? AdvertisedUrl(ClusterSettings settings, ListenerEndpoints listeners)
    {
        if (settings.AdvertisedUrl.Length > 0)
        {
            return new Uri(settings.AdvertisedUrl);
        }
        if (listeners.SocketIOEndPoint is not { } bound)
        {
            return null;
        }
        var address = bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any)
            ? FirstMachineAddress()
            : bound.Address;
        var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return new Uri($"{(listeners.SocketIOTls ? "https" : "http")}://{host}:{bound.Port}");
    }

    /// <summary>The first IPv4 address of an interface that is up and not loopback; loopback when there is none.</summary>
    private static IPAddress FirstMachineAddress()
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    return unicast.Address;
                }
            }
        }
        return IPAddress.Loopback;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = PushServerEventIds.NodePublished, Level = LogLevel.Information,
            Message = "Cluster: this node is {NodeTag} in the node directory, reached by the other nodes at {Url}; requests for sessions of other nodes are relayed to them")]
        public static partial void Published(ILogger logger, string nodeTag, Uri url);

        [LoggerMessage(EventId = PushServerEventIds.NodeNotPublished, Level = LogLevel.Warning,
            Message = "Cluster: the Socket.IO port has no IP address to publish; set Cluster:AdvertisedUrl so other nodes can relay this node's sessions")]
        public static partial void NotPublished(ILogger logger);
    }
}
