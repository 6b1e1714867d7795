using Microsoft.Extensions.Options;

namespace PushServer.Configuration;

/// <summary>Checks <see cref="ShutdownOptions"/>; each message names the key.</summary>
internal sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ShutdownOptions options)
    {
        var errors = new List<string>();
        if (!(options.DrainSeconds > 0 && options.DrainSeconds <= 3600))
        {
            errors.Add($"Shutdown:DrainSeconds must be positive and at most 3600 (got {options.DrainSeconds}).");
        }
        return OptionChecks.Result(errors);
    }
}
