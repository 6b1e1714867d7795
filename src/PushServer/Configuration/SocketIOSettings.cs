using PushServer.SocketIO;

namespace PushServer.Configuration;

/// <summary>Socket.IO settings as configured (section <c>SocketIO</c>), mapped onto <see cref="SocketIOOptions"/>.</summary>
internal sealed class SocketIOSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "SocketIO";

    /// <summary>socket.io's <c>connectTimeout</c> in ms (45000).</summary>
    public int ConnectTimeout { get; set; } = (int)SocketIOOptions.DefaultConnectTimeout.TotalMilliseconds;

    /// <summary>Most binary attachments in one packet.</summary>
    public int MaxAttachments { get; set; } = SocketIOOptions.DefaultMaxAttachments;

    /// <summary>Deepest JSON nesting accepted in a packet.</summary>
    public int MaxJsonDepth { get; set; } = SocketIOOptions.DefaultMaxJsonDepth;

    /// <summary>
    /// Namespaces clients may join and pushes may target. <c>/</c> always exists (it is added when missing); others must
    /// be listed, so a typo in a push never creates an empty namespace. Empty until bound, because the configuration
    /// binder appends to a list it finds filled.
    /// </summary>
    public List<string> Namespaces { get; set; } = [];

    /// <summary>Connection state recovery (socket.io 4.6+): off unless <c>Enabled</c>.</summary>
    public ConnectionStateRecoverySettings ConnectionStateRecovery { get; set; } = new();

    /// <summary>Copies the settings onto the library options.</summary>
    public void ApplyTo(SocketIOOptions options)
    {
        options.ConnectTimeout = TimeSpan.FromMilliseconds(ConnectTimeout);
        options.MaxAttachments = MaxAttachments;
        options.MaxJsonDepth = MaxJsonDepth;
        options.ConnectionStateRecovery = ConnectionStateRecovery.ToOptions();
    }
}
