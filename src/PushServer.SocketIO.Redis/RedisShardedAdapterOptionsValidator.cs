using Microsoft.Extensions.Options;

namespace PushServer.SocketIO.Redis;

/// <summary>Checks <see cref="RedisShardedAdapterOptions"/>; each message names the option.</summary>
internal sealed class RedisShardedAdapterOptionsValidator : IValidateOptions<RedisShardedAdapterOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisShardedAdapterOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.SubscriptionMode))
        {
            failures.Add($"RedisShardedAdapterOptions.SubscriptionMode must be Static, Dynamic or DynamicPrivate (got {options.SubscriptionMode}).");
        }
        if (options.ResubscribeAfter <= TimeSpan.Zero)
        {
            failures.Add($"RedisShardedAdapterOptions.ResubscribeAfter must be positive (got {options.ResubscribeAfter}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
