namespace PushServer.Configuration;

/// <summary>
/// Settings given on the command line. They win over every other source. Scalar values are configuration keys;
/// lists replace the configured list whole, which configuration layering alone cannot do.
/// </summary>
internal sealed record ConfigurationOverrides
{
    /// <summary>No overrides.</summary>
    public static ConfigurationOverrides None { get; } = new();

    /// <summary>Configuration keys (<c>Server:Port</c>) and their values.</summary>
    public IReadOnlyDictionary<string, string?> Values { get; init; } = new Dictionary<string, string?>();

    /// <summary>Replaces <c>EngineIO:Cors:Origins</c> when not null.</summary>
    public IReadOnlyList<string>? CorsOrigins { get; init; }
}
