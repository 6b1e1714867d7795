using Microsoft.Extensions.Options;

namespace PushServer.Configuration;

/// <summary>Checks the webhook settings, each message naming its key.</summary>
internal sealed class WebhookSettingsValidator : IValidateOptions<WebhookSettings>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WebhookSettings options)
    {
        var errors = new List<string>();
        if (options.Url.Length > 0 && (!Uri.TryCreate(options.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add("Webhooks:Url must be an absolute http:// or https:// URL.");
        }
        if (options.Url.Length == 0 && (options.Events.Count > 0 || options.Lifecycle))
        {
            errors.Add("Webhooks:Url must be set when Webhooks:Events or Webhooks:Lifecycle is used.");
        }
        if (options.TimeoutMs is < 100 or > 120_000)
        {
            errors.Add("Webhooks:TimeoutMs must be between 100 and 120000.");
        }
        if (options.MaxAttempts is < 1 or > 20)
        {
            errors.Add("Webhooks:MaxAttempts must be between 1 and 20.");
        }
        return OptionChecks.Result(errors);
    }
}
