using System.Text.Json;

namespace PushServer.LoadGenerator.Scenarios;

/// <summary>One run's figures, printed as a single JSON line so that runs can be collected and compared.</summary>
internal sealed class ScenarioResult(string scenario)
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal) { ["scenario"] = scenario };

    /// <summary>
    /// Sets one figure. A figure that could not be measured (NaN or infinite, e.g. a rate over a server CPU time read
    /// as 0 in a short window) is written as null: JSON has no such numbers, and the serializer would throw and lose
    /// the whole run's line.
    /// </summary>
    public ScenarioResult Set(string name, object? value)
    {
        _values[name] = value switch
        {
            double d when !double.IsFinite(d) => null,
            double d => Math.Round(d, 3),
            _ => value,
        };
        return this;
    }

    public string ToJson() => JsonSerializer.Serialize(_values);
}
