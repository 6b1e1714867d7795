using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace PushServer.Hosting;

/// <summary>
/// The two Kestrel listeners, to read the ports they actually bound (port 0 picks one), and the Socket.IO listener's
/// connection limits.
/// </summary>
internal sealed class ListenerEndpoints
{
    internal ListenOptions? SocketIO { get; set; }

    /// <summary>The Socket.IO listener's connection cap and header deadline, and what they did (for /metrics).</summary>
    public EngineIO.EngineIOConnectionLimits SocketIOLimits { get; } = new();

    /// <summary>Where <see cref="EngineIO.EngineIOConnectionLimits.MaxConnections"/> came from, for the start-up log.</summary>
    public string SocketIOLimitsSource { get; set; } = "";

    internal ListenOptions? Push { get; set; }

    /// <summary>The push listener's connection cap and what it refused (for /metrics); set as the listener is made.</summary>
    public PushConnectionCap? PushLimits { get; set; }

    /// <summary>Whether the Socket.IO listener speaks TLS (<c>Server:Tls</c>).</summary>
    public bool SocketIOTls { get; set; }

    /// <summary>Whether the push listener speaks TLS (<c>PushApi:Tls</c>).</summary>
    public bool PushTls { get; set; }

    /// <summary>Where the client listener listens, once started.</summary>
    public IPEndPoint? SocketIOEndPoint => SocketIO?.EndPoint as IPEndPoint;

    /// <summary>Where the push API listens, once started.</summary>
    public IPEndPoint? PushEndPoint => Push?.EndPoint as IPEndPoint;

    /// <summary>A URL for an endpoint, with a wildcard address shown as this machine's loopback.</summary>
    public static string Url(IPEndPoint? endPoint, bool tls = false)
    {
        if (endPoint is null)
        {
            return "(not listening)";
        }
        var address = endPoint.Address;
        var host = address.Equals(IPAddress.Any) ? "0.0.0.0"
            : address.Equals(IPAddress.IPv6Any) ? "[::]"
            : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]"
            : address.ToString();
        return $"{(tls ? "https" : "http")}://{host}:{endPoint.Port}";
    }
}
