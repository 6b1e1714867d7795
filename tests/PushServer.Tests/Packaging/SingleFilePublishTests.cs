namespace PushServer.Tests.Packaging;

/// <summary>The self-contained single-file publish: one executable that needs no installed .NET runtime.</summary>
public sealed class SingleFilePublishTests(SingleFilePublishFixture publish) : IClassFixture<SingleFilePublishFixture>
{
    [Fact]
    public async Task The_single_file_runs_as_its_own_process_answers_health_and_serves_a_socket_io_client()
    {
        Assert.False(File.Exists(Path.Combine(publish.OutputDirectory, "pushserver.dll")), "the publish is not a single file");
        Assert.True(File.Exists(Path.Combine(publish.OutputDirectory, "config", "pushserver.json")), "the default configuration is not beside the executable");

        await using var server = await ServerProcess.StartExecutableAsync(publish.Executable);

        // The process is the published file itself, not a dotnet host running a dll.
        Assert.Equal(publish.Executable, new FileInfo($"/proc/{server.ProcessId}/exe").LinkTarget);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var live = await http.GetAsync(new Uri(server.PushUri, "health/live"));
        using var ready = await http.GetAsync(new Uri(server.PushUri, "health/ready"));
        Assert.True(live.IsSuccessStatusCode, $"/health/live answered {live.StatusCode}");
        Assert.True(ready.IsSuccessStatusCode, $"/health/ready answered {ready.StatusCode}");
        await using var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig(server.SocketIOUrl));
        await client.WaitForEventAsync("connect");
        Assert.Equal("ok", await http.GetStringAsync(new Uri(server.PushUri, "?msg=single%20file")));
        var message = await client.WaitForServerEventAsync("chat message");
        Assert.Equal("single file", message.GetProperty("args")[0].GetString());
        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }
}
