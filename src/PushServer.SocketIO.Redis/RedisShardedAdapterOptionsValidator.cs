using Microsoft.Extensions.Options;

namespace PushServer.SocketIO.Redis;

/// <summary>Checks <see cref="RedisShardedAdapterOptions"/>; each message names the option.</summary>
internal sealed class RedisShardedAdapterOptionsValidator : IValidateOptions<RedisShardedAdapterOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisShardedAdapterOptions options) =>
        Enum.IsDefined(options.SubscriptionMode)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"RedisShardedAdapterOptions.SubscriptionMode must be Static, Dynamic or DynamicPrivate (got {options.SubscriptionMode}).");
}
