using Microsoft.Extensions.Options;

namespace PushServer.Configuration;

/// <summary>Checks the web-msg-sender settings.</summary>
internal sealed class WebMsgSenderSettingsValidator : IValidateOptions<WebMsgSenderSettings>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WebMsgSenderSettings options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.LoginEvent))
        {
            errors.Add("WebMsgSender:LoginEvent must not be empty.");
        }
        if (options.OnlineCount && !options.Login)
        {
            errors.Add("WebMsgSender:OnlineCount counts logged-in uids: it needs WebMsgSender:Login.");
        }
        return OptionChecks.Result(errors);
    }
}
