using System.Text.Json;

namespace PushServer.SocketIO;

/// <summary>Settings of the Socket.IO layer. Defaults are socket.io 4.8's unless a comment says otherwise.</summary>
public sealed class SocketIOOptions
{
    /// <summary>socket.io's <c>connectTimeout</c>: long enough for a slow mobile client to finish its middleware round trip.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(45);

    /// <summary>socket.io-parser's <c>maxAttachments</c>: caps the memory one packet can make the server hold while it waits for binaries.</summary>
    public const int DefaultMaxAttachments = 10;

    /// <summary>
    /// The reference has no depth limit beyond JavaScript's stack; 64 is System.Text.Json's own default, far deeper
    /// than any real payload and shallow enough that a hostile one cannot exhaust the stack.
    /// </summary>
    public const int DefaultMaxJsonDepth = 64;

    /// <summary>
    /// Not in socket.io. Namespace names are short paths; 256 bytes leaves room for any real one while a client
    /// cannot make the server hold (or, with dynamic namespaces, create) megabyte-long names.
    /// </summary>
    public const int DefaultMaxNamespaceLength = 256;

    /// <summary>Not in socket.io. Event names are identifiers; 256 characters is generous and keeps handler lookups cheap.</summary>
    public const int DefaultMaxEventNameLength = 256;

    /// <summary>
    /// Not in socket.io. A socket joining more rooms than this is refused the extra ones (logged at Information): each
    /// room costs an entry in two maps, and a client allowed to pick rooms could otherwise grow them without end.
    /// </summary>
    public const int DefaultMaxRoomsPerSocket = 1000;

    /// <summary>
    /// Not in socket.io, whose clients have no receive limit. Engine.IO's default outbound queue cap
    /// (<c>EngineIOOptions.MaxOutboundQueueBytes</c>): a packet larger than what a client may have waiting would make
    /// every recipient hold more than that cap at once, and could not reach a slow link within the WebSocket send timeout.
    /// </summary>
    public const long DefaultMaxOutboundPacketBytes = 1024 * 1024;

    /// <summary>An Engine.IO connection that joins no namespace within this time is closed.</summary>
    public TimeSpan ConnectTimeout { get; set; } = DefaultConnectTimeout;

    /// <summary>Most binary attachments accepted in one packet; more is a parse error.</summary>
    public int MaxAttachments { get; set; } = DefaultMaxAttachments;

    /// <summary>Deepest JSON nesting accepted in a packet; deeper is a parse error.</summary>
    public int MaxJsonDepth { get; set; } = DefaultMaxJsonDepth;

    /// <summary>Longest namespace name accepted in a packet, in UTF-8 bytes; longer is a parse error.</summary>
    public int MaxNamespaceLength { get; set; } = DefaultMaxNamespaceLength;

    /// <summary>Longest event name accepted from a client, in characters; longer is a parse error.</summary>
    public int MaxEventNameLength { get; set; } = DefaultMaxEventNameLength;

    /// <summary>Most rooms one socket may be in, its own room included; further joins are refused.</summary>
    public int MaxRoomsPerSocket { get; set; } = DefaultMaxRoomsPerSocket;

    /// <summary>
    /// Largest packet a broadcast may produce, in bytes once encoded (the text packet and its binary attachments).
    /// Checked once per broadcast, on the bytes every recipient shares: a larger emit throws
    /// <see cref="SocketIOPacketTooLargeException"/> and reaches nobody, on any node. Keep it at most the Engine.IO
    /// outbound queue cap. Emits to one socket and acks are not checked: the queue takes one packet of any size.
    /// </summary>
    public long MaxOutboundPacketBytes { get; set; } = DefaultMaxOutboundPacketBytes;

    /// <summary>
    /// Connection state recovery; null (the default, as in socket.io) turns it off. With it on, CONNECT replies carry a
    /// private session id and plain events an offset, and a client back within the window recovers its socket.
    /// </summary>
    public ConnectionStateRecoveryOptions? ConnectionStateRecovery { get; set; }

    /// <summary>
    /// How argument objects are serialised and read. Null uses <see cref="JsonSerializerDefaults.Web"/> (camelCase),
    /// which is what JavaScript clients expect.
    /// </summary>
    public JsonSerializerOptions? JsonSerializerOptions { get; set; }
}
