namespace PushServer.Configuration;

/// <summary>Checks <see cref="ShutdownSettings"/>; each message names the key.</summary>
internal sealed class ShutdownSettingsValidator : SettingsValidator<ShutdownSettings>
{
    /// <inheritdoc />
    protected override void Check(ShutdownSettings options, List<string> errors)
    {
        if (!(options.DrainSeconds > 0 && options.DrainSeconds <= 3600))
        {
            errors.Add($"Shutdown:DrainSeconds must be positive and at most 3600 (got {options.DrainSeconds}).");
        }
    }
}
