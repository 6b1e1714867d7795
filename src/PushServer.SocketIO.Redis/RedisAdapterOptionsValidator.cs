using Microsoft.Extensions.Options;

namespace PushServer.SocketIO.Redis;

/// <summary>Refuses settings the adapter cannot run with; each message names the key.</summary>
internal sealed class RedisAdapterOptionsValidator : IValidateOptions<RedisAdapterOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisAdapterOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            failures.Add("Redis:Configuration must name a Redis server, e.g. redis://127.0.0.1:6379.");
        }
        else if (!RedisConfiguration.TryParse(options.Configuration, out _, out var error))
        {
            failures.Add($"Redis:Configuration is invalid: {error}");
        }
        if (string.IsNullOrEmpty(options.KeyPrefix) || options.KeyPrefix.Contains('#'))
        {
            failures.Add("Redis:KeyPrefix must be non-empty and must not contain '#'.");
        }
        if (options.RequestsTimeout <= TimeSpan.Zero)
        {
            failures.Add("Redis:RequestsTimeout must be positive.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
