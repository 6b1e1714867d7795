using PushServer.Cli;

namespace PushServer.Tests.Infrastructure;

/// <summary>Runs the command line in-process and captures what it writes.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>The non-empty lines written to stderr.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Runs <paramref name="args"/>.</summary>
    public static async Task<CliRun> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PushServerCli.InvokeAsync(args, output, error).DefaultTimeout(TimeSpan.FromSeconds(30));
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
