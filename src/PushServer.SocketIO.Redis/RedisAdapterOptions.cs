namespace PushServer.SocketIO.Redis;

/// <summary>Settings of the Redis adapter. Defaults are those of Node's @socket.io/redis-adapter.</summary>
public sealed class RedisAdapterOptions
{
    /// <summary>The default <see cref="KeyPrefix"/>, the Node adapter's and emitter's <c>key</c>.</summary>
    public const string DefaultKeyPrefix = "socket.io";

    /// <summary>
    /// Where Redis is: <c>redis://host:port</c> (optionally <c>redis://:password@host:port/db</c>, or <c>rediss://</c>
    /// for TLS), or a StackExchange.Redis configuration string such as <c>host:port,password=…</c>.
    /// </summary>
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>
    /// Channel prefix (the Node adapter's <c>key</c>); every node and emitter of a cluster must use the same one.
    /// </summary>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>
    /// How long a cluster query (fetch sockets, all rooms, server-side emit with acks) waits for the other nodes:
    /// 5 s, the Node adapter's <c>requestsTimeout</c>. Nodes that have not answered by then are reported missing. A fetch
    /// with a <c>Timeout</c> on its selection waits that long instead.
    /// </summary>
    public TimeSpan RequestsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Publish answers to the asking node's own response channel (<c>socket.io-response#/#uid#</c>) instead of the
    /// shared one. Off by default, as in the Node adapter 8.x: Node nodes before 8.2 only read the shared channel.
    /// </summary>
    public bool PublishOnSpecificResponseChannel { get; set; }
}
