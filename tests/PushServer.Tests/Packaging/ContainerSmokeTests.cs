namespace PushServer.Tests.Packaging;

/// <summary>
/// The container recipe: scripts/container-smoke.sh builds the unchanged Dockerfile with podman on locally made
/// stand-ins of its base images, runs the image, waits for its HEALTHCHECK, pushes a message through the published push
/// port and receives it on the published Socket.IO port, checks the server is not root and that it drains on the stop
/// signal. Runs where rootful podman is installed and the base images are in place (see ContainerSmokeFactAttribute).
/// </summary>
public sealed class ContainerSmokeTests
{
    // A build and run takes about two minutes, three or more while the rest of the test run competes for the machine.
    // Past the limit the script gets SIGTERM and removes its container and image before the test fails.
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(8);

    [ContainerSmokeFact]
    public async Task The_image_built_from_the_Dockerfile_becomes_healthy_delivers_a_push_runs_unprivileged_and_stops_cleanly()
    {
        var run = await ChildProcess.RunAsync("bash", [ContainerSmokeFactAttribute.Script], s_timeout, grace: TimeSpan.FromSeconds(30));

        Assert.True(run.ExitCode == 0, run.Output);
        // The script's last word, on stdout (its progress goes to stderr, so the two interleave in any order here).
        Assert.Contains("container smoke: ok", run.Output.Split('\n').Select(line => line.Trim()));
    }
}
