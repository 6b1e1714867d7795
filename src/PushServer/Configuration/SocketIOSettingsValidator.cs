namespace PushServer.Configuration;

/// <summary>Checks <see cref="SocketIOSettings"/>; each message names the key.</summary>
internal sealed class SocketIOSettingsValidator : SettingsValidator<SocketIOSettings>
{
    /// <inheritdoc />
    protected override void Check(SocketIOSettings options, List<string> errors)
    {
        OptionChecks.Positive(errors, "SocketIO:ConnectTimeout", options.ConnectTimeout);
        if (options.MaxAttachments < 0)
        {
            errors.Add($"SocketIO:MaxAttachments must be zero or more (got {options.MaxAttachments}).");
        }
        if (options.MaxJsonDepth < 2)
        {
            errors.Add($"SocketIO:MaxJsonDepth must be at least 2 (got {options.MaxJsonDepth}).");
        }
        OptionChecks.Positive(errors, "SocketIO:MaxNamespaceLength", options.MaxNamespaceLength);
        OptionChecks.Positive(errors, "SocketIO:MaxEventNameLength", options.MaxEventNameLength);
        if (options.MaxRoomsPerSocket < 1)
        {
            errors.Add($"SocketIO:MaxRoomsPerSocket must be at least 1, the socket's own room (got {options.MaxRoomsPerSocket}).");
        }
        foreach (var nsp in options.Namespaces)
        {
            if (options.MaxNamespaceLength > 0 && System.Text.Encoding.UTF8.GetByteCount(nsp ?? "") > options.MaxNamespaceLength)
            {
                errors.Add($"SocketIO:Namespaces has \"{nsp}\", longer than SocketIO:MaxNamespaceLength ({options.MaxNamespaceLength} bytes).");
            }
            if (string.IsNullOrWhiteSpace(nsp) || !nsp.StartsWith('/') || nsp.Any(char.IsWhiteSpace))
            {
                errors.Add($"SocketIO:Namespaces has \"{nsp}\"; a namespace starts with / and has no spaces.");
            }
        }
        var recovery = options.ConnectionStateRecovery;
        OptionChecks.Positive(errors, "SocketIO:ConnectionStateRecovery:MaxDisconnectionDuration", recovery.MaxDisconnectionDuration);
        OptionChecks.Positive(errors, "SocketIO:ConnectionStateRecovery:MaxStoredBytes", recovery.MaxStoredBytes);
    }
}
