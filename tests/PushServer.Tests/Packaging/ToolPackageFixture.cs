namespace PushServer.Tests.Packaging;

/// <summary>
/// The .NET tool package, made once for a test class: packed from what the build produced (the test builds nothing),
/// then installed with <c>dotnet tool install --tool-path</c> into a new temporary folder, from that package alone, so
/// no earlier install of the same version is ever the one tested. The folder is removed at the end.
/// </summary>
public sealed class ToolPackageFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_stepTimeout = TimeSpan.FromMinutes(3);

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"pushserver-tool-{Guid.NewGuid():N}");

    /// <summary>The installed <c>pushserver</c> command.</summary>
    public string Command { get; private set; } = "";

    /// <summary>The folder the tool was installed into.</summary>
    public string ToolPath => Path.Combine(_root, "tools");

    /// <summary>The packed package's version.</summary>
    public string PackageVersion { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var project = Path.Combine(RepositoryPaths.Root, "src", "PushServer", "PushServer.csproj");
        var packages = Path.Combine(_root, "packages");
        Directory.CreateDirectory(packages);

        var pack = await ChildProcess.RunAsync("dotnet", ["pack", project, "-c", configuration, "--no-build", "-o", packages, "-nologo"], s_stepTimeout);
        Assert.True(pack.ExitCode == 0, pack.Output);
        var package = Assert.Single(Directory.GetFiles(packages, "PushServer.*.nupkg"));
        PackageVersion = Path.GetFileNameWithoutExtension(package)["PushServer.".Length..];

        // Only the folder just packed is a source: no registry is asked, and a package of the same name elsewhere can
        // never be installed instead.
        var config = Path.Combine(_root, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        var install = await ChildProcess.RunAsync(
            "dotnet",
            ["tool", "install", "PushServer", "--version", PackageVersion, "--tool-path", ToolPath, "--configfile", config],
            s_stepTimeout);
        Assert.True(install.ExitCode == 0, install.Output);

        Command = Path.Combine(ToolPath, "pushserver");
        Assert.True(File.Exists(Command), $"dotnet tool install made no {Command}:\n{install.Output}");
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
        return Task.CompletedTask;
    }
}
