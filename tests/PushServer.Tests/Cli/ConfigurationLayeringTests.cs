using Microsoft.Extensions.Configuration;
using PushServer.Configuration;

namespace PushServer.Tests.Cli;

public sealed class ConfigurationLayeringTests
{
    private static int Port(LoadedConfiguration loaded) => loaded.Configuration.GetSection("Server").Get<ServerSettings>()!.Port;

    [Fact]
    public void Flags_win_over_environment_which_wins_over_the_file_which_wins_over_defaults()
    {
        using var file = TempConfig.Write("""{"Server":{"Port":1000},"PushApi":{"Port":1001}}""");
        var environment = new Dictionary<string, string?> { ["PUSHSERVER_Server__Port"] = "2000", ["OTHER_Server__Port"] = "9", ["PUSHSERVER_SKIP_APT"] = "1" };
        var flags = new ConfigurationOverrides { Values = new Dictionary<string, string?> { ["Server:Port"] = "3000" } };

        var layered = PushServerConfiguration.Load(file.Path, flags, environment);
        Assert.Equal(3000, Port(layered));
        Assert.Empty(ConfigurationCheck.Run(layered));
        Assert.Equal(2000, Port(PushServerConfiguration.Load(file.Path, ConfigurationOverrides.None, environment)));
        var fileOnly = PushServerConfiguration.Load(file.Path, ConfigurationOverrides.None, []);
        Assert.Equal(1000, Port(fileOnly));
        Assert.Equal(1001, fileOnly.Configuration.GetSection("PushApi").Get<PushApiSettings>()!.Port);
        using var empty = TempConfig.Write("{}");
        Assert.Equal(ServerSettings.DefaultPort, new ServerSettings().Port);
        Assert.Null(PushServerConfiguration.Load(empty.Path, ConfigurationOverrides.None, []).Configuration.GetSection("Server").Get<ServerSettings>());
    }

    [Fact]
    public void Run_from_the_repository_root_finds_config_pushserver_json()
    {
        var loaded = PushServerConfiguration.Load(null, ConfigurationOverrides.None, [], currentDirectory: RepositoryPaths.Root);
        Assert.Equal(Path.Combine(RepositoryPaths.Root, "config", "pushserver.json"), loaded.File);
    }

    [Fact]
    public void Without_a_file_in_the_working_directory_the_copy_beside_the_executable_is_used()
    {
        var loaded = PushServerConfiguration.Load(null, ConfigurationOverrides.None, [], currentDirectory: Path.GetTempPath());
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "config", "pushserver.json"), loaded.File);
    }
}
