using System.Runtime.InteropServices;

namespace PushServer.Tests.Packaging;

/// <summary>
/// A self-contained single-file publish of the executable for this machine's runtime identifier, made once for a test
/// class. Its build goes to a temporary artifacts folder, so the repository's own bin/ and obj/ (which other tests run
/// from) are left as they are; the folder is removed at the end.
/// </summary>
public sealed class SingleFilePublishFixture : IAsyncLifetime
{
    // Below the test run's hang timeout (5 minutes): a restore and a Release build of four projects on a shared machine.
    private static readonly TimeSpan s_publishTimeout = TimeSpan.FromMinutes(4);

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"pushserver-single-file-{Guid.NewGuid():N}");

    /// <summary>The publish folder.</summary>
    public string OutputDirectory => Path.Combine(_root, "out");

    /// <summary>The single-file executable.</summary>
    public string Executable => Path.Combine(OutputDirectory, "pushserver");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var project = Path.Combine(RepositoryPaths.Root, "src", "PushServer", "PushServer.csproj");
        var publish = await ChildProcess.RunAsync(
            "dotnet",
            ["publish", project, "-c", configuration, "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "-p:PublishSingleFile=true",
                "--artifacts-path", Path.Combine(_root, "artifacts"), "-o", OutputDirectory, "-nologo"],
            s_publishTimeout);
        Assert.True(publish.ExitCode == 0, publish.Output);
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
