using Microsoft.Extensions.Options;

namespace PushServer.Configuration;

/// <summary>Checks <see cref="SocketIOSettings"/>; each message names the key.</summary>
internal sealed class SocketIOSettingsValidator : IValidateOptions<SocketIOSettings>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SocketIOSettings options)
    {
        var errors = new List<string>();
        OptionChecks.Positive(errors, "SocketIO:ConnectTimeout", options.ConnectTimeout);
        if (options.MaxAttachments < 0)
        {
            errors.Add($"SocketIO:MaxAttachments must be zero or more (got {options.MaxAttachments}).");
        }
        if (options.MaxJsonDepth < 2)
        {
            errors.Add($"SocketIO:MaxJsonDepth must be at least 2 (got {options.MaxJsonDepth}).");
        }
        foreach (var nsp in options.Namespaces)
        {
            if (string.IsNullOrWhiteSpace(nsp) || !nsp.StartsWith('/') || nsp.Any(char.IsWhiteSpace))
            {
                errors.Add($"SocketIO:Namespaces has \"{nsp}\"; a namespace starts with / and has no spaces.");
            }
        }
        var recovery = options.ConnectionStateRecovery;
        OptionChecks.Positive(errors, "SocketIO:ConnectionStateRecovery:MaxDisconnectionDuration", recovery.MaxDisconnectionDuration);
        OptionChecks.Positive(errors, "SocketIO:ConnectionStateRecovery:MaxStoredBytes", recovery.MaxStoredBytes);
        return OptionChecks.Result(errors);
    }
}
