namespace PushServer;

/// <summary>Every log event id of the executable, in one table so ids stay stable and unique.</summary>
internal static class PushServerEventIds
{
    public const int Listening = 4001;
    public const int RedisAdapter = 4002;
    public const int ConnectionCap = 4003;
    public const int NoConnectionCap = 4004;
    public const int LargeNativeBlocksReturned = 4016;
    public const int TlsCertificateLoaded = 4005;
    public const int TlsCertificateReloaded = 4006;
    public const int TlsCertificateReloadFailed = 4007;
    public const int TlsNotWatching = 4008;
    public const int PushConnectionsRefused = 4009;
    public const int PushConnectionsTimedOut = 4015;
    public const int PushHandled = 4010;
    public const int PushRefused = 4011;
    public const int PushFailed = 4012;
    public const int QueryHandled = 4013;
    public const int RelayTooLarge = 4014;
    public const int DrainStarted = 4020;
    public const int DrainFinished = 4021;
    public const int DrainTimedOut = 4022;
    public const int SignalReceived = 4023;
    public const int HandshakeRefusedWhileDraining = 4024;
    public const int WebhookFailed = 4030;
    public const int LifecycleWebhookQueueFull = 4031;
    public const int LifecycleWebhookGivenUp = 4032;
    public const int ClientLinesSuppressed = 4040;
    public const int AdminUiEnabled = 4050;
    public const int AdminUiNoAuthentication = 4051;
    public const int AdminUiStatsFailed = 4052;
    public const int AdminUiLoginLockedOut = 4053;
    public const int NodePublished = 4060;
    public const int NodeNotPublished = 4061;
}
