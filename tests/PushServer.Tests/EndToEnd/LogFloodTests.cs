using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace PushServer.Tests.EndToEnd;

/// <summary>
/// A flood of bad requests from one anonymous client against the executable: the lines it causes are limited per
/// reason, and a summary line says how many more there were, so the log stays readable and every refusal is
/// accounted for.
/// </summary>
public sealed partial class LogFloodTests(ITestOutputHelper output)
{
    private const int Requests = 2_000;

    // Logging:ClientEventLimit's default: lines per reason per window.
    private const int LinesPerWindow = 10;

    [Fact]
    public async Task A_flood_of_refused_handshakes_logs_a_few_lines_and_a_summary_of_the_rest()
    {
        await using var server = await ServerProcess.StartAsync(environment: new Dictionary<string, string>
        {
            // Every handshake after the first of each second is refused and logged at Information.
            ["PUSHSERVER_EngineIO__MaxHandshakesPerSecondPerIp"] = "1",
            ["PUSHSERVER_Shutdown__DrainSeconds"] = "1",
        });
        using var http = new HttpClient { BaseAddress = new Uri(server.SocketIOUrl), Timeout = TimeSpan.FromSeconds(30) };
        var rssBefore = server.ResidentSetKiB();
        var refused = 0;
        for (var i = 0; i < Requests; i++)
        {
            using var response = await http.GetAsync("socket.io/?EIO=4&transport=polling");
            refused += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }
        Assert.True(refused > Requests / 2, $"only {refused} handshakes refused");
        var rssAfter = server.ResidentSetKiB();

        // Stopping writes the summary of the window still open.
        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var lines = server.Output.Split('\n');
        var logged = lines.Count(l => l.Contains("refused by limit handshake_rate", StringComparison.Ordinal));
        var summaries = lines.Select(l => SummaryLine().Match(l)).Where(m => m.Success).ToList();
        var suppressed = summaries.Sum(m => int.Parse(m.Groups["count"].Value));
        // Every refusal is either logged or counted in a summary. A window with lines suppressed has a summary; of
        // the others, only the one the flood began in and the one it ended in can have lines.
        Assert.InRange(logged, LinesPerWindow, LinesPerWindow * (summaries.Count + 2));
        Assert.NotEmpty(summaries);
        Assert.Equal(refused, logged + suppressed);
        output.WriteLine($"{Requests} handshakes, {refused} refused: {logged} lines logged, {suppressed} counted in {summaries.Count} summaries; " +
            $"RSS {rssBefore / 1024} MiB before, {rssAfter / 1024} MiB after");
    }

    [GeneratedRegex(@"(?<count>\d+) more LimitRefused lines \(event 1013\) suppressed in the last \d+ s")]
    private static partial Regex SummaryLine();
}
