namespace PushServer.EngineIO;

/// <summary>
/// Every log event id of the Engine.IO layer (1000–1099), in one table so ids stay stable and unique. An id once
/// shipped keeps its meaning: a new event takes the next free number.
/// </summary>
internal static class EngineEventIds
{
    // A session's life.
    public const int SessionOpened = 1000;
    public const int SessionClosing = 1001;
    public const int SessionClosed = 1002;
    public const int Upgraded = 1003;
    public const int PingTimeout = 1004;

    // A client too slow, too fast, or breaking the protocol.
    public const int OutboundQueueFull = 1005;
    public const int ProtocolViolation = 1006;
    public const int RateLimited = 1011;
    public const int WriteTimedOut = 1012;
    public const int PendingBytesExceeded = 1014;

    // Requests refused, transports ended, and faults of our own.
    public const int RequestRefused = 1007;
    public const int HandlerFailed = 1008;
    public const int TransportEnded = 1009;
    public const int RequestFailed = 1010;
    public const int LimitRefused = 1013;
    public const int WriterStartFailed = 1022;

    // The listener: accept failures, the connection cap, the request-head deadline.
    public const int AcceptFailed = 1015;
    public const int ConnectionsRefused = 1016;
    public const int RequestHeadsTimedOut = 1017;

    // Pages refused for their origin.
    public const int OriginRefused = 1018;
    public const int RefusedOriginsNoLongerLogged = 1019;

    // Sessions of other nodes, relayed to their owner (no sticky sessions).
    public const int SessionRelayed = 1020;
    public const int SessionOwnerUnreachable = 1021;
}
