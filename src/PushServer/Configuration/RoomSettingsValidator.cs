using Microsoft.Extensions.Options;

namespace PushServer.Configuration;

/// <summary>Checks the client room settings, each message naming its key.</summary>
internal sealed class RoomSettingsValidator(IOptions<SocketIOSettings> socketIO) : SettingsValidator<RoomSettings>
{
    /// <inheritdoc />
    protected override void Check(RoomSettings options, List<string> errors)
    {
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
            else if (!PushServer.Behaviours.RoomPattern.TryValidate(options.Allowed[i], out var problem))
            {
                errors.Add($"Rooms:Allowed:{i} is not a valid regular expression: {problem}");
            }
        }
        if (options.Namespace != "/" && !socketIO.Value.Namespaces.Contains(options.Namespace))
        {
            errors.Add($"Rooms:Namespace '{options.Namespace}' is not served: list it in SocketIO:Namespaces.");
        }
    }
}
