using Microsoft.Extensions.Options;

namespace PushServer.Configuration;

/// <summary>Checks the relay rules, each message naming the rule's key.</summary>
internal sealed class RelaySettingsValidator(IOptions<SocketIOSettings> socketIO) : SettingsValidator<RelaySettings>
{
    // socket.io refuses to emit these: they are the client library's own events.
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    };

    /// <inheritdoc />
    protected override void Check(RelaySettings options, List<string> errors)
    {
        foreach (var (eventName, rule) in options.Rules)
        {
            var key = $"Relay:Rules:{eventName}";
            if (eventName.Length == 0 || Reserved.Contains(eventName))
            {
                errors.Add($"{key}: '{eventName}' cannot be relayed: clients never send it as an event.");
            }
            if (rule.To is null || !RelayTarget.Values.Contains(rule.To))
            {
                errors.Add($"{key}:To must be one of {string.Join(", ", RelayTarget.Values)}, not '{rule.To}'.");
            }
            if (Reserved.Contains(rule.EmitAs))
            {
                errors.Add($"{key}:EmitAs must not be a reserved event name ('{rule.EmitAs}').");
            }
            if (rule.HasReply && rule.To == RelayTarget.None)
            {
                errors.Add($"{key}:Reply needs a rule that is on: To is none, so nothing would be answered.");
            }
            if (rule.Reply is not null && rule.ReplyJson is not null)
            {
                errors.Add($"{key}: set Reply or ReplyJson, not both.");
            }
            if (rule.ReplyJson is not null && !IsJson(rule.ReplyJson, out var problem))
            {
                errors.Add($"{key}:ReplyJson is not valid JSON ({problem}); a plain string goes in {key}:Reply.");
            }
            if (rule.Namespace != "/" && !socketIO.Value.Namespaces.Contains(rule.Namespace))
            {
                errors.Add($"{key}:Namespace '{rule.Namespace}' is not served: list it in SocketIO:Namespaces.");
            }
        }
    }

    private static bool IsJson(string text, out string problem)
    {
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(text);
            problem = "";
            return true;
        }
        catch (System.Text.Json.JsonException ex)
        {
            problem = ex.Message;
            return false;
        }
    }
}
