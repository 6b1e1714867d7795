namespace PushServer.Configuration;

/// <summary>How the nodes of a Redis cluster serve each other's clients (section <c>Cluster</c>).</summary>
internal sealed class ClusterSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Cluster";

    /// <summary>
    /// With Redis: a request for a session another PushServer node holds (a load balancer without affinity sent it
    /// here) is relayed to that node instead of being refused with <c>Session ID unknown</c>. No effect without Redis.
    /// </summary>
    public bool RouteForeignSessions { get; set; } = true;

    /// <summary>
    /// The base URL (<c>http://host:port</c> or <c>https://…</c>) at which the other nodes reach this node's Socket.IO
    /// port. Empty: the address the port is bound to, or this machine's first non-loopback IPv4 address when it is bound
    /// to every address, with the bound port, and https when <c>Server:Tls</c> is on.
    /// </summary>
    public string AdvertisedUrl { get; set; } = "";
}
