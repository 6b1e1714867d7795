using Microsoft.Extensions.Options;

namespace PushServer.SocketIO;

/// <summary>Refuses settings that cannot work; each message names the key.</summary>
internal sealed class SocketIOOptionsValidator : IValidateOptions<SocketIOOptions>
{
    public ValidateOptionsResult Validate(string? name, SocketIOOptions options)
    {
        var errors = new List<string>();
        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"SocketIO:ConnectTimeout must be positive (got {options.ConnectTimeout}).");
        }
        if (options.MaxAttachments < 0)
        {
            errors.Add($"SocketIO:MaxAttachments must be zero or more (got {options.MaxAttachments}).");
        }
        if (options.MaxJsonDepth < 2)
        {
            errors.Add($"SocketIO:MaxJsonDepth must be at least 2, an event array holding an object (got {options.MaxJsonDepth}).");
        }
        if (options.MaxNamespaceLength < 1)
        {
            errors.Add($"SocketIO:MaxNamespaceLength must be at least 1 (got {options.MaxNamespaceLength}).");
        }
        if (options.MaxEventNameLength < 1)
        {
            errors.Add($"SocketIO:MaxEventNameLength must be at least 1 (got {options.MaxEventNameLength}).");
        }
        if (options.MaxRoomsPerSocket < 1)
        {
            errors.Add($"SocketIO:MaxRoomsPerSocket must be at least 1, the socket's own room (got {options.MaxRoomsPerSocket}).");
        }
        if (options.MaxOutboundPacketBytes < 1)
        {
            errors.Add($"SocketIO:MaxOutboundPacketBytes must be positive (got {options.MaxOutboundPacketBytes}).");
        }
        if (options.ConnectionStateRecovery is { } recovery)
        {
            if (recovery.MaxDisconnectionDuration <= TimeSpan.Zero)
            {
                errors.Add($"SocketIO:ConnectionStateRecovery:MaxDisconnectionDuration must be positive (got {recovery.MaxDisconnectionDuration}).");
            }
            if (recovery.MaxStoredBytes <= 0)
            {
                errors.Add($"SocketIO:ConnectionStateRecovery:MaxStoredBytes must be positive (got {recovery.MaxStoredBytes}).");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
