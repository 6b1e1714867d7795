using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PushServer.Configuration;
using PushServer.Hosting;

namespace PushServer.Cli;

/// <summary><c>pushserver start</c>: runs the server until SIGTERM or Ctrl+C, then drains and exits 0.</summary>
internal static class StartCommand
{
    public static Command Create()
    {
        var flags = new ServerFlags();
        var command = new Command("start", "Run the server: Socket.IO clients on --port, the push API on --push-port");
        flags.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, flags, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, ServerFlags flags, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        LoadedConfiguration loaded;
        try
        {
            loaded = flags.Load(parse);
        }
        catch (ConfigurationFileException ex)
        {
            await error.WriteLineAsync("pushserver: " + ex.Message).ConfigureAwait(false);
            return (int)ExitCode.ConfigInvalid;
        }
        var problems = ConfigurationCheck.Run(loaded);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync("pushserver: configuration error: " + problem).ConfigureAwait(false);
            }
            return (int)ExitCode.ConfigInvalid;
        }

        InlineIo.ApplyToProcess(loaded);
        var largeNativeBlocksReturned = NativeHeapReturn.ApplyToProcess(loaded);
        await using var app = PushServerHost.Build(loaded);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (BindFailure.IsBindFailure(ex))
        {
            var message = BindFailure.Describe(
                ex,
                app.Services.GetRequiredService<IOptions<ServerSettings>>().Value,
                app.Services.GetRequiredService<IOptions<PushApiSettings>>().Value);
            await error.WriteLineAsync("pushserver: " + message).ConfigureAwait(false);
            return (int)ExitCode.AddressInUse;
        }
        catch (OptionsValidationException ex)
        {
            // Checked above already; kept for options validated only inside the host.
            await error.WriteLineAsync("pushserver: configuration error: " + string.Join(" ", ex.Failures)).ConfigureAwait(false);
            return (int)ExitCode.ConfigInvalid;
        }
        PushServerHost.LogListening(app, largeNativeBlocksReturned);
        await app.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        return (int)ExitCode.Ok;
    }
}
