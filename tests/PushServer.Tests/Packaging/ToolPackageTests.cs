namespace PushServer.Tests.Packaging;

/// <summary>The .NET tool: packed, installed with <c>dotnet tool install</c>, started as <c>pushserver</c>.</summary>
public sealed class ToolPackageTests(ToolPackageFixture tool) : IClassFixture<ToolPackageFixture>
{
    [Fact]
    public async Task The_installed_command_starts_a_server_that_pushes_to_a_socket_io_client_and_drains_on_SIGTERM()
    {
        await using var server = await ServerProcess.StartExecutableAsync(tool.Command);
        await using var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig(server.SocketIOUrl));
        await client.WaitForEventAsync("connect");
        using var push = new HttpClient { BaseAddress = server.PushUri, Timeout = TimeSpan.FromSeconds(30) };

        Assert.Equal("ok", await push.GetStringAsync("?msg=from%20the%20tool"));

        var message = await client.WaitForServerEventAsync("chat message");
        Assert.Equal("from the tool", message.GetProperty("args")[0].GetString());
        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task The_installed_command_reports_the_package_version_and_ships_the_default_configuration()
    {
        var version = await ChildProcess.RunAsync(tool.Command, ["--version"], TimeSpan.FromSeconds(60));

        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith(tool.PackageVersion, version.Output.Trim(), StringComparison.Ordinal);
        var shipped = Assert.Single(Directory.GetFiles(Path.Combine(tool.ToolPath, ".store"), "pushserver.json", SearchOption.AllDirectories));
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "config", "pushserver.json")),
            await File.ReadAllTextAsync(shipped));
    }
}
