namespace PushServer.Configuration;

/// <summary>Checks the web-msg-sender settings.</summary>
internal sealed class WebMsgSenderSettingsValidator : SettingsValidator<WebMsgSenderSettings>
{
    /// <inheritdoc />
    protected override void Check(WebMsgSenderSettings options, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(options.LoginEvent))
        {
            errors.Add("WebMsgSender:LoginEvent must not be empty.");
        }
        if (options.OnlineCount && !options.Login)
        {
            errors.Add("WebMsgSender:OnlineCount counts logged-in uids: it needs WebMsgSender:Login.");
        }
    }
}
