using System.Text.Json;

namespace PushServer.LoadGenerator.Scenarios;

/// <summary>One run's figures, printed as a single JSON line so that runs can be collected and compared.</summary>
internal sealed class ScenarioResult(string scenario)
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal) { ["scenario"] = scenario };

    public ScenarioResult Set(string name, object value)
    {
        _values[name] = value is double d ? Math.Round(d, 3) : value;
        return this;
    }

    public string ToJson() => JsonSerializer.Serialize(_values);
}
