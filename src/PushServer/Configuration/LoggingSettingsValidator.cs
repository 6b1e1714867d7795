namespace PushServer.Configuration;

/// <summary>Checks <see cref="LoggingSettings"/>; each message names the key.</summary>
internal sealed class LoggingSettingsValidator : SettingsValidator<LoggingSettings>
{
    /// <summary>Level names accepted, Serilog's and Microsoft.Extensions.Logging's.</summary>
    public static readonly string[] Levels = ["Verbose", "Trace", "Debug", "Information", "Warning", "Error", "Fatal", "Critical"];

    /// <inheritdoc />
    protected override void Check(LoggingSettings options, List<string> errors)
    {
        if (!IsLevel(options.Level))
        {
            errors.Add($"Logging:Level must be one of {string.Join(", ", Levels)} (got \"{options.Level}\").");
        }
        if (options.Format is not ("text" or "json"))
        {
            errors.Add($"Logging:Format must be text or json (got \"{options.Format}\").");
        }
        if (options.MaxQueuedEvents is < 1 or > 1_000_000)
        {
            errors.Add($"Logging:MaxQueuedEvents must be from 1 to 1000000 (got {options.MaxQueuedEvents}).");
        }
        OptionChecks.NotNegative(errors, "Logging:ClientEventLimit", options.ClientEventLimit, "0 logs every client-caused line");
        if (options.ClientEventWindowSeconds is < 1 or > 3600)
        {
            errors.Add($"Logging:ClientEventWindowSeconds must be from 1 to 3600 (got {options.ClientEventWindowSeconds}).");
        }
        foreach (var (source, level) in options.Overrides)
        {
            if (!IsLevel(level))
            {
                errors.Add($"Logging:Overrides:{source} must be one of {string.Join(", ", Levels)} (got \"{level}\").");
            }
        }
    }

    private static bool IsLevel(string? level) => Levels.Contains(level, StringComparer.OrdinalIgnoreCase);
}
