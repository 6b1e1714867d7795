using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace PushServer.Tests.EndToEnd;

/// <summary>
/// The executable whose standard output nobody reads (a pipe whose reader stopped): logging must never hold up a
/// request, so pushes, health checks and new clients are served, and the log lines that did not fit are dropped and
/// counted in <c>/metrics</c>; and it still stops when told to.
/// </summary>
public sealed partial class BlockedOutputTests(ITestOutputHelper output)
{
    // Each push logs one line at Information (about 100 bytes): a 64 KiB pipe is full after some 650 of them, and the
    // buffer of queued lines (set small here) soon after.
    private const int Pushes = 2_000;

    [Fact]
    public async Task A_stdout_nobody_reads_neither_stalls_pushes_nor_clients_and_the_dropped_lines_are_counted()
    {
        await using var server = await ServerProcess.StartWithUnreadOutputAsync(environment: new Dictionary<string, string>
        {
            ["PUSHSERVER_Logging__MaxQueuedEvents"] = "100",
        });
        using var push = new HttpClient { BaseAddress = server.PushUri, Timeout = TimeSpan.FromSeconds(10) };
        var rssBefore = server.ResidentSetKiB();

        for (var i = 0; i < Pushes; i++)
        {
            Assert.Equal("ok", await push.GetStringAsync($"?msg=push%20{i}"));
        }

        Assert.Equal("Healthy", await push.GetStringAsync("health/live"));
        var client = await RawSocketIOClient.ConnectAsync(new Uri(server.SocketIOUrl));
        await using (client)
        {
            Assert.Equal("ok", await push.GetStringAsync("?msg=after%20the%20flood"));
            var received = await client.NextEventAsync();
            Assert.Equal("after the flood", received[1].GetString());
        }

        var metrics = await push.GetStringAsync("metrics");
        var dropped = DroppedLine().Match(metrics);
        Assert.True(dropped.Success, "no pushserver_log_events_dropped_total in /metrics:\n" + metrics);
        Assert.True(double.Parse(dropped.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, dropped.Value);
        output.WriteLine($"{Pushes} logged pushes into a stuck stdout: {dropped.Value}; RSS {rssBefore / 1024} MiB before, {server.ResidentSetKiB() / 1024} MiB after");

        // And it still stops: the lines still queued are given up rather than waited for.
        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    [GeneratedRegex(@"^pushserver_log_events_dropped_total (\S+)$", RegexOptions.Multiline)]
    private static partial Regex DroppedLine();
}
