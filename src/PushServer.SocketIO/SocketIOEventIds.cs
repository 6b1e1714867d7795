namespace PushServer.SocketIO;

/// <summary>Every log event id of the Socket.IO layer, in one table so ids stay stable and unique.</summary>
internal static class SocketIOEventIds
{
    public const int ParseError = 3001;
    public const int ProtocolViolation = 3002;
    public const int InvalidNamespace = 3003;
    public const int ConnectionRefused = 3004;
    public const int ConnectTimeout = 3005;
    public const int HandlerFailed = 3010;
    public const int ConnectionHandlerFailed = 3011;
    public const int PacketMiddlewareFailed = 3012;
    public const int UnhandledSocketError = 3013;
    public const int AdapterInitFailed = 3020;
    public const int SessionRecovered = 3021;
    public const int RecoveryFailed = 3022;
    public const int TooManyRooms = 3023;
    public const int UnexpectedError = 3030;
}
