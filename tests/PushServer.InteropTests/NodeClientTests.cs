using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using PushServer.Testing;

namespace PushServer.InteropTests;

/// <summary>
/// The NodeClient fixture itself: spawning, commands, event waits, failure messages and
/// disposal, through tests/node/selftest.js (no server needed), plus a start of every real
/// client driver so a broken install fails here first.
/// </summary>
public class NodeClientTests
{
    [Fact]
    public async Task Driver_gets_its_config_and_echoes_commands_as_events_in_order()
    {
        await using var client = await NodeClient.StartAsync("selftest.js", new { greeting = "hi" });

        await client.SendAsync(new { op = "echo", n = 1 });
        await client.SendAsync(new { op = "echo", n = 2, data = new byte[] { 0, 1, 255 } });

        var first = await client.WaitForEventAsync("echo");
        var second = await client.WaitForEventAsync("echo");
        Assert.Equal(1, first.GetProperty("command").GetProperty("n").GetInt32());
        Assert.Equal(2, second.GetProperty("command").GetProperty("n").GetInt32());
        Assert.Equal(new byte[] { 0, 1, 255 }, NodeClient.GetBinary(second.GetProperty("command").GetProperty("data")));

        var ready = client.Events[0];
        Assert.Equal("ready", ready.GetProperty("event").GetString());
        Assert.Equal("""{"greeting":"hi"}""", ready.GetProperty("argv")[0].GetString());
    }

    [Fact]
    public async Task Wait_with_a_condition_skips_events_that_do_not_match()
    {
        await using var client = await NodeClient.StartAsync("selftest.js");

        await client.SendAsync(new { op = "echo", n = 1 });
        await client.SendAsync(new { op = "echo", n = 2 });

        var two = await client.WaitForEventAsync("echo", e => e.GetProperty("command").GetProperty("n").GetInt32() == 2);
        var one = await client.WaitForEventAsync("echo");
        Assert.Equal(2, two.GetProperty("command").GetProperty("n").GetInt32());
        Assert.Equal(1, one.GetProperty("command").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Timed_out_wait_names_the_events_seen_and_the_stderr_of_the_driver()
    {
        await using var client = await NodeClient.StartAsync("selftest.js");
        await client.SendAsync(new { op = "stderr", text = "something went wrong in node" });
        await client.WaitForEventAsync("stderrWritten");

        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => client.WaitForEventAsync("never", timeout: TimeSpan.FromMilliseconds(200)));

        Assert.Contains("No 'never' event within 0.2 s", error.Message);
        Assert.Contains("""{"event":"stderrWritten"}""", error.Message);
        Assert.Contains("something went wrong in node", error.Message);
    }

    [Fact]
    public async Task Driver_that_exits_early_fails_the_start_with_its_stderr()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => NodeClient.StartAsync("engineio-client.js", new { }));

        Assert.Contains("ended without reporting the awaited 'ready' event", error.Message);
        Assert.Contains("exited with code 2", error.Message);
        Assert.Contains("config.url is required", error.Message);
    }

    [Fact]
    public async Task Disposing_ends_a_well_behaved_driver_without_killing_it()
    {
        var client = await NodeClient.StartAsync("selftest.js");
        var process = Process.GetProcessById(client.ProcessId);
        var stopwatch = Stopwatch.StartNew();

        await client.DisposeAsync().DefaultTimeout();

        Assert.True(process.HasExited);
        Assert.Equal(0, client.ExitCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2.5), $"exit took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Disposing_kills_a_driver_that_ignores_exit_and_stdin_eof()
    {
        var client = await NodeClient.StartAsync("selftest.js");
        var process = Process.GetProcessById(client.ProcessId);
        await client.SendAsync(new { op = "hang" });
        await client.WaitForEventAsync("hanging");

        await client.DisposeAsync().DefaultTimeout();

        Assert.True(process.HasExited);
        Assert.Equal(128 + 9, client.ExitCode); // SIGKILL
    }

    [Theory]
    [InlineData("engineio-client.js", 4)]
    [InlineData("engineio-client.js", 3)]
    [InlineData("socketio-client.js", 4)]
    [InlineData("socketio-client.js", 2)]
    public async Task Every_client_driver_starts_and_reports_a_refused_connection(string script, int version)
    {
        var url = $"http://127.0.0.1:{ClosedPort()}";
        object config = script == "engineio-client.js"
            ? new EngineIOClientConfig(url) { Protocol = version, Transports = ["polling"] }
            : new SocketIOClientConfig(url) { Version = version, Transports = ["polling"] };

        await using var client = await NodeClient.StartAsync(script, config);

        var failure = script == "engineio-client.js"
            ? await client.WaitForEventAsync("close")
            : await client.WaitForEventAsync("connect_error");
        Assert.Equal(JsonValueKind.String, failure.GetProperty(script == "engineio-client.js" ? "reason" : "message").ValueKind);
    }

    // A loopback port with nothing listening: bound by the OS, then released.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
