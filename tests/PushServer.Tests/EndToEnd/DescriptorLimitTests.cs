using System.Net.Sockets;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace PushServer.Tests.EndToEnd;

/// <summary>
/// The real executable under a low open-file limit, flooded with idle TCP connections past that limit: the connection
/// cap derived from the limit refuses what would not fit, so the process never runs out of descriptors, a connected
/// client keeps getting its pushes, and a new client is served as soon as the flood is gone.
/// </summary>
public sealed partial class DescriptorLimitTests(ITestOutputHelper output) : ResourceTests
{
    /// <summary>Low enough that the flood passes it quickly; high enough for the runtime's own files and a cap above a few hundred.</summary>
    private const int DescriptorLimit = 1000;

    private const int FloodConnections = 1200;

    private readonly List<Socket> _flood = [];

    public override async Task DisposeAsync()
    {
        CloseFlood();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Idle_connections_past_the_descriptor_limit_are_refused_and_the_server_keeps_serving()
    {
        var server = await ServerProcess.StartWithDescriptorLimitAsync(DescriptorLimit);
        Resources.Add(server);
        using var push = new HttpClient { BaseAddress = server.PushUri, Timeout = TimeSpan.FromSeconds(10) };
        var rssBefore = server.ResidentSetKiB();
        var client = await RawSocketIOClient.ConnectAsync(new Uri(server.SocketIOUrl));
        Resources.Add(client);

        var opened = await FloodAsync(new IPEndPoint(IPAddress.Loopback, server.SocketIOPort));
        var rssDuringFlood = server.ResidentSetKiB();

        // During the flood: the process lives, the push port answers, the connected client gets the push.
        Assert.False(HasExited(server), "the server died during the flood:\n" + server.Output);
        Assert.Equal("ok", await push.GetStringAsync("?msg=during%20the%20flood"));
        var during = await client.NextEventAsync();
        Assert.Equal("chat message", during[0].GetString());
        Assert.Equal("during the flood", during[1].GetString());
        var metrics = await push.GetStringAsync("metrics");
        var refused = Counter(metrics, "pushserver_tcp_connections_refused_total");
        Assert.True(refused > 0, "no refused connections counted:\n" + metrics);

        // After the flood: a new client is served, and the first one still gets pushes.
        CloseFlood();
        var fresh = await RawSocketIOClient.ConnectAsync(new Uri(server.SocketIOUrl));
        Resources.Add(fresh);
        Assert.Equal("ok", await push.GetStringAsync("?msg=after"));
        Assert.Equal("after", (await client.NextEventAsync())[1].GetString());
        Assert.Equal("after", (await fresh.NextEventAsync())[1].GetString());
        var rssAfter = server.ResidentSetKiB();

        Assert.False(HasExited(server), "the server died after the flood:\n" + server.Output);
        Assert.DoesNotContain("Out of memory", server.Output, StringComparison.Ordinal);
        // Refusals, failed accepts and header timeouts are logged a few times at most, not once per connection.
        var floodLines = server.Output.Split('\n').Count(l => l.Contains("since the last such message", StringComparison.Ordinal));
        Assert.True(floodLines >= 1, "the refusals were not logged:\n" + server.Output);
        Assert.True(floodLines <= 5, $"{floodLines} log lines about the flood:\n{server.Output}");
        var cap = server.Output.Split('\n').Single(l => l.Contains("Socket.IO port: at most", StringComparison.Ordinal));
        output.WriteLine(cap.Trim());
        output.WriteLine(
            $"descriptor limit {DescriptorLimit}: {opened} of {FloodConnections} flood connections completed their connect, {refused} reset on accept; " +
            $"RSS {rssBefore / 1024} MiB before, {rssDuringFlood / 1024} MiB during, {rssAfter / 1024} MiB after");
    }

    /// <summary>
    /// Opens idle connections one after another, each given a second to connect (a full backlog drops the handshake,
    /// and a connection reset on accept may fail its connect); returns how many connected. Bounded in time so that a
    /// server that stopped accepting ends it too.
    /// </summary>
    private async Task<int> FloodAsync(IPEndPoint endPoint)
    {
        var established = 0;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        for (var i = 0; i < FloodConnections && DateTime.UtcNow < until; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _flood.Add(socket);
            try
            {
                await socket.ConnectAsync(endPoint).WaitAsync(TimeSpan.FromSeconds(1));
                established++;
            }
            catch (Exception ex) when (ex is SocketException or TimeoutException)
            {
                // Reset or dropped: the flood goes on.
            }
        }
        return established;
    }

    private void CloseFlood()
    {
        foreach (var socket in _flood)
        {
            socket.Dispose();
        }
        _flood.Clear();
    }

    private static bool HasExited(ServerProcess server)
    {
        try
        {
            return System.Diagnostics.Process.GetProcessById(server.ProcessId).HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static double Counter(string metrics, string name)
    {
        var match = Regex.Match(metrics, "^" + Regex.Escape(name) + @" (\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
