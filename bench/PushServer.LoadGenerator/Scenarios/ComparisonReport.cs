using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PushServer.LoadGenerator.Scenarios;

/// <summary>
/// Turns the result lines of several runs (each tagged with <c>server</c>) into a Markdown table: per scenario,
/// generator and figure, the median with min–max for each server and the ratio of medians PushServer / reference.
/// Runs of different generators (<c>generator</c>; loadgen's lines from before it said so count as loadgen) are never
/// pooled: each measures the servers through its own clients.
/// </summary>
internal static class ComparisonReport
{
    /// <summary>Figures about the generator's own run, kept in the raw results but not compared.</summary>
    private static readonly string[] NotCompared = ["connectRetries", "warmupSeconds", "warmupBroadcasts"];

    public const string DefaultGenerator = "loadgen";

    private static readonly string[] KeyFields = ["scenario", "transport", "eio", "clients", "broadcasts", "ratePerSecond"];

    public static string Build(IEnumerable<string> lines, string subject = "pushserver", string reference = "reference")
    {
        var runs = lines
            .Where(l => l.TrimStart().StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToList();
        var output = new StringBuilder();
        output.AppendLine($"| scenario | generator | figure | {subject} median (min–max) | {reference} median (min–max) | ratio |");
        output.AppendLine("|---|---|---|---|---|---|");
        foreach (var group in runs.GroupBy(r => (Scenario: Key(r), Generator: Generator(r)))
            .OrderBy(g => g.Key.Scenario, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Generator, StringComparer.Ordinal))
        {
            var figures = group
                .SelectMany(r => r.EnumerateObject())
                .Where(p => p.Value.ValueKind == JsonValueKind.Number && !KeyFields.Contains(p.Name) && !NotCompared.Contains(p.Name))
                .Select(p => p.Name)
                .Distinct()
                .ToList();
            foreach (var figure in figures)
            {
                var mine = Values(group, subject, figure);
                var theirs = Values(group, reference, figure);
                var ratio = mine.Count > 0 && theirs.Count > 0 && Median(theirs) != 0 ? Median(mine) / Median(theirs) : double.NaN;
                output.AppendLine($"| {group.Key.Scenario} | {group.Key.Generator} | {figure} | {Describe(mine)} | {Describe(theirs)} | {Format(ratio)} |");
            }
        }
        return output.ToString();
    }

    private static string Key(JsonElement run)
    {
        var parts = KeyFields
            .Where(f => run.TryGetProperty(f, out var v)
                && !(v.ValueKind == JsonValueKind.Number && v.GetDouble() == 0 && f == "ratePerSecond")
                // WebSocket is the default: only polling runs say their transport.
                && !(f == "transport" && v.GetString() == "websocket"))
            .Select(f => f == "scenario" ? run.GetProperty(f).GetString() : $"{f}={run.GetProperty(f)}");
        return string.Join(" ", parts);
    }

    private static string Generator(JsonElement run) =>
        run.TryGetProperty("generator", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString()! : DefaultGenerator;

    private static List<double> Values(IEnumerable<JsonElement> runs, string server, string figure) =>
        runs.Where(r => r.TryGetProperty("server", out var s) && s.GetString() == server)
            .Where(r => r.TryGetProperty(figure, out var v) && v.ValueKind == JsonValueKind.Number)
            .Select(r => r.GetProperty(figure).GetDouble())
            .ToList();

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string Describe(List<double> values) =>
        values.Count == 0 ? "–" : $"{Format(Median(values))} ({Format(values.Min())}–{Format(values.Max())})";

    private static string Format(double value) =>
        double.IsNaN(value) ? "–" : Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);
}
