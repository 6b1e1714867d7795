using PushServer.Cli;

return await PushServerCli.InvokeAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
