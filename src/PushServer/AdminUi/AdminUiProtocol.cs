namespace PushServer.AdminUi;

/// <summary>
/// The names @socket.io/admin-ui 0.5 uses on its namespace (its <c>typed-events.ts</c>), in one place so the wire stays
/// the original's.
/// </summary>
internal static class AdminUiProtocol
{
    // Server to UI.
    public const string Session = "session";
    public const string Config = "config";
    public const string ServerStats = "server_stats";
    public const string AllSockets = "all_sockets";
    public const string SocketConnected = "socket_connected";
    public const string SocketUpdated = "socket_updated";
    public const string SocketDisconnected = "socket_disconnected";
    public const string RoomJoined = "room_joined";
    public const string RoomLeft = "room_left";
    public const string EventReceived = "event_received";
    public const string EventSent = "event_sent";

    // UI to server: the actions.
    public const string EmitAction = "emit";
    public const string JoinAction = "join";
    public const string LeaveAction = "leave";
    public const string DisconnectAction = "_disconnect";

    /// <summary>The features the UI enables its buttons by (its <c>Feature</c> enum).</summary>
    public static class Feature
    {
        public const string Emit = "EMIT";
        public const string Join = "JOIN";
        public const string Leave = "LEAVE";
        public const string Disconnect = "DISCONNECT";
        public const string ManyJoin = "MJOIN";
        public const string ManyLeave = "MLEAVE";
        public const string ManyDisconnect = "MDISCONNECT";
        public const string AggregatedEvents = "AGGREGATED_EVENTS";
        public const string AllEvents = "ALL_EVENTS";
    }

    /// <summary>A date as JavaScript's <c>JSON.stringify(new Date())</c> writes it, which the UI parses back.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
