using Microsoft.Extensions.Options;

namespace PushServer.Configuration;

/// <summary>Checks the client room settings, each message naming its key.</summary>
internal sealed class RoomSettingsValidator(IOptions<SocketIOSettings> socketIO) : IValidateOptions<RoomSettings>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RoomSettings options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.JoinEvent))
        {
            errors.Add("Rooms:JoinEvent must not be empty.");
        }
        if (string.IsNullOrWhiteSpace(options.LeaveEvent) || options.LeaveEvent == options.JoinEvent)
        {
            errors.Add("Rooms:LeaveEvent must be set and differ from Rooms:JoinEvent.");
        }
        for (var i = 0; i < options.Allowed.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Allowed[i]))
            {
                errors.Add($"Rooms:Allowed:{i} must not be empty.");
            }
        }
        if (options.Namespace != "/" && !socketIO.Value.Namespaces.Contains(options.Namespace))
        {
            errors.Add($"Rooms:Namespace '{options.Namespace}' is not served: list it in SocketIO:Namespaces.");
        }
        return OptionChecks.Result(errors);
    }
}
