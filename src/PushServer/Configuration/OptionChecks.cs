namespace PushServer.Configuration;

/// <summary>Checks shared by the validators, worded the same everywhere.</summary>
internal static class OptionChecks
{
    public static void Port(List<string> errors, string key, int port)
    {
        if (port is < 0 or > 65535)
        {
            errors.Add($"{key} must be between 0 and 65535 (got {port}).");
        }
    }

    public static void Positive(List<string> errors, string key, long value)
    {
        if (value <= 0)
        {
            errors.Add($"{key} must be positive (got {value}).");
        }
    }

    public static void NotNegative(List<string> errors, string key, long value, string zeroMeans)
    {
        if (value < 0)
        {
            errors.Add($"{key} must be zero or more; {zeroMeans} (got {value}).");
        }
    }

    public static void Bind(List<string> errors, string key, string? text) => Bind(errors, key, text, out _);

    public static bool Bind(List<string> errors, string key, string? text, out BindAddress address)
    {
        if (BindAddress.TryParse(text, out address))
        {
            return true;
        }
        errors.Add($"{key} must be an IP address, 0.0.0.0, * or localhost (got \"{text}\").");
        return false;
    }
}
