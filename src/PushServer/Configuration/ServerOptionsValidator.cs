using Microsoft.Extensions.Options;

namespace PushServer.Configuration;

/// <summary>Checks <see cref="ServerOptions"/>; each message names the key.</summary>
internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var errors = new List<string>();
        OptionChecks.Port(errors, "Server:Port", options.Port);
        OptionChecks.Bind(errors, "Server:Bind", options.Bind);
        return OptionChecks.Result(errors);
    }
}
