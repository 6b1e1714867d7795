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
            if (UnknownVerb(parse) is { } unknown)
            {
                // System.CommandLine also reports "Required command was not provided." and each unmatched word: one
                // line that names the word and the verbs there are says it all.
                await error.WriteLineAsync(unknown).ConfigureAwait(false);
                await error.WriteLineAsync($"Run '{CommandPath(parse.CommandResult)} --help' for usage.").ConfigureAwait(false);
                return (int)ExitCode.Usage;
            }
            foreach (var parseError in parse.Errors)
            {
                await error.WriteLineAsync("pushserver: " + parseError.Message).ConfigureAwait(false);
            }
            await error.WriteLineAsync("Run 'pushserver --help' for usage.").ConfigureAwait(false);
            return (int)ExitCode.Usage;
        }
        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// When a command that only groups verbs (the root, <c>config</c>) got a word that is none of them: the line that says
    /// so, naming the verbs; else null.
    /// </summary>
    private static string? UnknownVerb(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (command.Subcommands.Count == 0 || command.Action is not null || parse.UnmatchedTokens.Count == 0)
        {
            return null;
        }
        var verbs = string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
        return $"pushserver: unknown command '{parse.UnmatchedTokens[0]}' for '{CommandPath(parse.CommandResult)}' (commands: {verbs}).";
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult result) =>
        result.Parent is System.CommandLine.Parsing.CommandResult parent ? CommandPath(parent) + " " + result.Command.Name : "pushserver";
}
