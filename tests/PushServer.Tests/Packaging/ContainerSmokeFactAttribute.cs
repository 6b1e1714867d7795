using System.Diagnostics;

namespace PushServer.Tests.Packaging;

/// <summary>
/// The container smoke test: skipped, with the reason, where it cannot finish within a test's time. That is on a
/// machine without rootful podman, and on one where the base images are not in place: making the stand-ins takes
/// from several minutes to a quarter of an hour on a busy machine, too long to wait for inside a test (whose hang
/// guard stops the test host after 5 minutes without a test event), so test.sh makes them beside the build
/// (scripts/container-smoke.sh --make-base) and the test only builds and checks the image.
/// </summary>
public sealed class ContainerSmokeFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the check cannot run here.</summary>
    public ContainerSmokeFactAttribute()
    {
        if (!OnPath("podman"))
        {
            Skip = "podman is not installed";
        }
        else if (Environment.UserName != "root")
        {
            Skip = "the container smoke check needs root (rootful podman)";
        }
        else if (BaseNotReady() is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>The script's path.</summary>
    public static string Script => Path.Combine(RepositoryPaths.Root, "scripts", "container-smoke.sh");

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, name)));

    /// <summary>Asks the script whether the base images are in place; null when they are.</summary>
    private static string? BaseNotReady()
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Script);
        info.ArgumentList.Add("--base-ready");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            return "podman did not answer within 60 s";
        }
        return process.ExitCode == 0 ? null : (output.Result + error.Result).Trim();
    }
}
