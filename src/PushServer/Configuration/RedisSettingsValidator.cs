namespace PushServer.Configuration;

/// <summary>Checks <see cref="RedisSettings"/>; each message names the key.</summary>
internal sealed class RedisSettingsValidator : SettingsValidator<RedisSettings>
{
    /// <inheritdoc />
    protected override void Check(RedisSettings options, List<string> errors)
    {
        if (options.Url.Length > 0 && !IsRedisUrl(options.Url))
        {
            errors.Add("Redis:Url must be a redis:// or rediss:// URL with a host, such as redis://127.0.0.1:6379, or a comma-separated "
                + "list of them (the seed nodes of a Redis Cluster).");
        }
        if (options.Adapter is not (RedisSettings.PubSubAdapter or RedisSettings.StreamsAdapter or RedisSettings.ShardedAdapter))
        {
            errors.Add($"Redis:Adapter must be \"pubsub\", \"streams\" or \"sharded\" (got \"{options.Adapter}\").");
        }
        if (options.ParseSubscriptionMode() is null)
        {
            errors.Add($"Redis:ShardedSubscriptionMode must be \"static\", \"dynamic\" or \"dynamic-private\" (got \"{options.ShardedSubscriptionMode}\").");
        }
        if (string.IsNullOrWhiteSpace(options.StreamName))
        {
            errors.Add("Redis:StreamName must not be empty.");
        }
        OptionChecks.Positive(errors, "Redis:StreamMaxLength", options.StreamMaxLength);
        OptionChecks.Positive(errors, "Redis:RequestsTimeout", options.RequestsTimeout);
    }

    /// <summary>
    /// True for an absolute <c>redis://</c> or <c>rediss://</c> URL with a host, or a comma-separated list of them (the
    /// seed nodes of a Redis Cluster).
    /// </summary>
    public static bool IsRedisUrl(string url)
    {
        var urls = url.Split(',', StringSplitOptions.TrimEntries);
        return urls.All(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "redis" or "rediss" && uri.Host.Length > 0);
    }
}
