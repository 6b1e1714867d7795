using System.CommandLine;

namespace PushServer.Cli;

/// <summary>The command line: one root with a verb per file in this folder.</summary>
internal static class PushServerCli
{
    /// <summary>The root command with every verb; <c>--help</c> and <c>--version</c> work everywhere.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("pushserver: a standalone Socket.IO push server (phpsocket.io compatible)");
        root.Subcommands.Add(StartCommand.Create());
        root.Subcommands.Add(PushCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(HealthcheckCommand.Create());
        root.Subcommands.Add(TokenCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parse = CreateRootCommand().Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // The server's graceful shutdown owns SIGTERM and Ctrl+C and needs its whole drain budget; System.CommandLine's
            // own handler would cut it short after 2 s.
            ProcessTerminationTimeout = null,
        };
        if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var parseError in parse.Errors)
            {
                await error.WriteLineAsync("pushserver: " + parseError.Message).ConfigureAwait(false);
            }
            await error.WriteLineAsync("Run 'pushserver --help' for usage.").ConfigureAwait(false);
            return (int)ExitCode.Usage;
        }
        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
