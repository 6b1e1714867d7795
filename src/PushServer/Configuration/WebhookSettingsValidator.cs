namespace PushServer.Configuration;

/// <summary>Checks the webhook settings, each message naming its key.</summary>
internal sealed class WebhookSettingsValidator : SettingsValidator<WebhookSettings>
{
    /// <inheritdoc />
    protected override void Check(WebhookSettings options, List<string> errors)
    {
        if (options.Url.Length > 0 && (!Uri.TryCreate(options.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add("Webhooks:Url must be an absolute http:// or https:// URL.");
        }
        if (options.Url.Length == 0 && (options.Events.Count > 0 || options.Lifecycle || options.RoomLifecycle))
        {
            errors.Add("Webhooks:Url must be set when Webhooks:Events, Webhooks:Lifecycle or Webhooks:RoomLifecycle is used.");
        }
        if (options.TimeoutMs is < 100 or > 120_000)
        {
            errors.Add("Webhooks:TimeoutMs must be between 100 and 120000.");
        }
        if (options.MaxAttempts is < 1 or > 20)
        {
            errors.Add("Webhooks:MaxAttempts must be between 1 and 20.");
        }
    }
}
