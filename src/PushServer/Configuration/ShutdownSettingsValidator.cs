using Microsoft.Extensions.Options;

namespace PushServer.Configuration;

/// <summary>Checks <see cref="ShutdownSettings"/>; each message names the key.</summary>
internal sealed class ShutdownSettingsValidator : IValidateOptions<ShutdownSettings>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ShutdownSettings options)
    {
        var errors = new List<string>();
        if (!(options.DrainSeconds > 0 && options.DrainSeconds <= 3600))
        {
            errors.Add($"Shutdown:DrainSeconds must be positive and at most 3600 (got {options.DrainSeconds}).");
        }
        return OptionChecks.Result(errors);
    }
}
