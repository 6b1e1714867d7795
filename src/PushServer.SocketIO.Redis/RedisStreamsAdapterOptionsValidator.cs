using Microsoft.Extensions.Options;

namespace PushServer.SocketIO.Redis;

/// <summary>Checks <see cref="RedisStreamsAdapterOptions"/>; each message names the option.</summary>
internal sealed class RedisStreamsAdapterOptionsValidator : IValidateOptions<RedisStreamsAdapterOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisStreamsAdapterOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.StreamName))
        {
            errors.Add("RedisStreamsAdapterOptions.StreamName must not be empty.");
        }
        if (options.MaxLength <= 0)
        {
            errors.Add($"RedisStreamsAdapterOptions.MaxLength must be positive (got {options.MaxLength}).");
        }
        if (options.ReadCount <= 0)
        {
            errors.Add($"RedisStreamsAdapterOptions.ReadCount must be positive (got {options.ReadCount}).");
        }
        if (string.IsNullOrEmpty(options.SessionKeyPrefix))
        {
            errors.Add("RedisStreamsAdapterOptions.SessionKeyPrefix must not be empty.");
        }
        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            errors.Add($"RedisStreamsAdapterOptions.HeartbeatInterval must be positive (got {options.HeartbeatInterval}).");
        }
        if (options.HeartbeatTimeout <= options.HeartbeatInterval)
        {
            errors.Add($"RedisStreamsAdapterOptions.HeartbeatTimeout must be longer than HeartbeatInterval (got {options.HeartbeatTimeout}).");
        }
        if (options.BlockTime <= TimeSpan.Zero || options.BlockTime > TimeSpan.FromSeconds(10))
        {
            errors.Add($"RedisStreamsAdapterOptions.BlockTime must be between 0 and 10 s (got {options.BlockTime}).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
