using System.Net.Sockets;
using PushServer.Cli;

namespace PushServer.Tests.Cli;

public sealed class StartCommandTests
{
    [Fact]
    public async Task Start_on_a_busy_port_exits_non_zero_with_one_clear_line()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;

        var run = await CliRun.InvokeAsync("start", "--bind", "127.0.0.1", "--port", "0", "--push-port", port.ToString(), "--log-level", "Warning");

        Assert.Equal((int)ExitCode.AddressInUse, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("pushserver: ", line);
        Assert.Contains($"127.0.0.1:{port}", line);
        Assert.Contains("PushApi:Port", line);
        Assert.DoesNotContain(" at ", line);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    public async Task Start_on_a_busy_socket_io_port_names_that_port_and_its_key(string bind)
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;

        var run = await CliRun.InvokeAsync("start", "--bind", bind, "--port", port.ToString(), "--push-port", "0", "--log-level", "Warning");

        Assert.Equal((int)ExitCode.AddressInUse, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains($"{bind}:{port}", line);
        Assert.Contains("Server:Port", line);
        Assert.Contains("--port", line);
        Assert.DoesNotContain("PushApi:Port", line);
        Assert.Contains("in use", line);
    }

    [Fact]
    public async Task Start_refuses_a_public_push_address_without_a_token()
    {
        var run = await CliRun.InvokeAsync("start", "--push-bind", "0.0.0.0", "--port", "0", "--push-port", "0");

        Assert.Equal((int)ExitCode.ConfigInvalid, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("PushApi:Token must be set", line);
    }

    [Fact]
    public async Task Start_with_a_bad_value_exits_with_the_configuration_code_naming_the_key()
    {
        using var file = TempConfig.Write("""{"EngineIO":{"PingInterval":-5}}""");
        var run = await CliRun.InvokeAsync("start", "--config", file.Path, "--port", "0", "--push-port", "0");

        Assert.Equal((int)ExitCode.ConfigInvalid, run.ExitCode);
        Assert.Contains("EngineIO:PingInterval must be positive", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Healthcheck_against_nothing_exits_1()
    {
        using var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var port = ((IPEndPoint)free.LocalEndpoint).Port;
        free.Stop();

        var run = await CliRun.InvokeAsync("healthcheck", "--url", $"http://127.0.0.1:{port}", "--timeout", "5");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("pushserver: unhealthy", run.ErrorLines[0]);
    }
}
