using System.Runtime.InteropServices;

namespace PushServer.Tests.Packaging;

/// <summary>
/// A self-contained single-file publish of the executable for this machine's runtime identifier, made once for a test
/// class. Its build goes to a temporary artifacts folder, so the repository's own bin/ and obj/ (which other tests run
/// from) are left as they are; the folder is removed at the end.
/// </summary>
public sealed class SingleFilePublishFixture : IAsyncLifetime
{
    // A restore and a Release build of four projects on a small shared machine, alongside the rest of the test run:
    // about a minute alone, several under load.
    private static readonly TimeSpan s_publishTimeout = TimeSpan.FromMinutes(8);

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
                "--artifacts-path", Path.Combine(_root, "artifacts"), "-o", OutputDirectory, "-nologo",
                // The solution build already analysed and documented this code: here only the executable matters.
                "-p:RunAnalyzers=false", "-p:GenerateDocumentationFile=false"],
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
