using System.CommandLine;

namespace PushServer.Cli;

/// <summary>
/// <c>pushserver healthcheck</c>: exits 0 when the server is ready (or alive, with <c>--live</c>), else 1, as a
/// container HEALTHCHECK expects; never another code.
/// </summary>
internal static class HealthcheckCommand
{
    public static Command Create()
    {
        var client = new ClientFlags();
        var live = new Option<bool>("--live") { Description = "Check liveness (/health/live) instead of readiness (/health/ready)" };
        var command = new Command("healthcheck", "Exit 0 if a running server is healthy, 1 if not (for container HEALTHCHECK)");
        command.Options.Add(live);
        client.AddTo(command, withToken: false);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(live) ? "health/live" : "health/ready";
            var error = parse.InvocationConfiguration.Error;
            try
            {
                using var http = client.CreateClient(parse);
                using var response = await http.GetAsync(path, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    await parse.InvocationConfiguration.Output.WriteLineAsync("healthy").ConfigureAwait(false);
                    return (int)ExitCode.Ok;
                }
                await error.WriteLineAsync($"pushserver: unhealthy: /{path} answered {(int)response.StatusCode}").ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException
                or Configuration.ConfigurationFileException)
            {
                await error.WriteLineAsync("pushserver: unhealthy: " + ex.Message).ConfigureAwait(false);
            }
            return (int)ExitCode.Failure;
        });
        return command;
    }
}
