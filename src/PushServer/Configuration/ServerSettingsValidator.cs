namespace PushServer.Configuration;

/// <summary>Checks <see cref="ServerSettings"/>; each message names the key.</summary>
internal sealed class ServerSettingsValidator : SettingsValidator<ServerSettings>
{
    /// <inheritdoc />
    protected override void Check(ServerSettings options, List<string> errors)
    {
        OptionChecks.Port(errors, "Server:Port", options.Port);
        OptionChecks.Bind(errors, "Server:Bind", options.Bind);
        OptionChecks.NotNegative(errors, "Server:MaxConnections", options.MaxConnections, "0 derives it from the open-file limit");
        if (options.MaxConnections > 0 && Hosting.DescriptorLimit.Read() is { } limit && options.MaxConnections >= limit.Maximum)
        {
            // No derived number in the message: validation runs more than once and descriptors open in between, and
            // the same error must read the same each time (messages are deduplicated by text).
            errors.Add(
                $"Server:MaxConnections must be below the process's open-file limit ({limit.Maximum}, ulimit -n), which the " +
                $"rest of the process needs descriptors of too; 0 derives the cap from it (got {options.MaxConnections}).");
        }
        OptionChecks.Positive(errors, "Server:RequestHeadersTimeout", options.RequestHeadersTimeout);
        Hosting.Tls.TlsCertificateLoader.Check(errors, options.Tls);
    }
}
