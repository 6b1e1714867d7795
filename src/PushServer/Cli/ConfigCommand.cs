using System.CommandLine;
using PushServer.Configuration;

namespace PushServer.Cli;

/// <summary><c>pushserver config check|print</c>: the configuration a <c>start</c> with the same flags would use.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var command = new Command("config", "Check or print the effective configuration");
        command.Subcommands.Add(CreateCheck());
        command.Subcommands.Add(CreatePrint());
        return command;
    }

    private static Command CreateCheck()
    {
        var flags = new ServerFlags();
        var command = new Command("check", "Validate the configuration; each problem is printed with its key");
        flags.AddTo(command);
        command.SetAction(parse => Run(parse, flags, (loaded, output) =>
            output.WriteLine($"Configuration is valid ({(loaded.File is null ? "no file, defaults" : "file " + loaded.File)}, environment, flags)")));
        return command;
    }

    private static Command CreatePrint()
    {
        var flags = new ServerFlags();
        var command = new Command("print", "Print the effective configuration as JSON, secrets masked");
        flags.AddTo(command);
        command.SetAction(parse => Run(parse, flags, (loaded, output) => output.WriteLine(EffectiveConfiguration.Render(loaded))));
        return command;
    }

    private static int Run(ParseResult parse, ServerFlags flags, Action<LoadedConfiguration, TextWriter> onValid)
    {
        var error = parse.InvocationConfiguration.Error;
        LoadedConfiguration loaded;
        try
        {
            loaded = flags.Load(parse);
        }
        catch (ConfigurationFileException ex)
        {
            error.WriteLine("pushserver: " + ex.Message);
            return (int)ExitCode.ConfigInvalid;
        }
        var problems = ConfigurationCheck.Run(loaded);
        foreach (var problem in problems)
        {
            error.WriteLine("pushserver: configuration error: " + problem);
        }
        if (problems.Count > 0)
        {
            return (int)ExitCode.ConfigInvalid;
        }
        onValid(loaded, parse.InvocationConfiguration.Output);
        return (int)ExitCode.Ok;
    }
}
