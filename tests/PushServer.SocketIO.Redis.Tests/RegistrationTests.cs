using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PushServer.SocketIO.Redis.Tests;

public class RegistrationTests
{
    [Fact]
    public async Task AddSocketIORedis_replaces_the_in_memory_adapter_whichever_is_called_first()
    {
        foreach (var redisFirst in new[] { false, true })
        {
            var services = new ServiceCollection().AddLogging();
            if (redisFirst)
            {
                services.AddSocketIORedis().AddSocketIO();
            }
            else
            {
                services.AddSocketIO().AddSocketIORedis();
            }
            await using var provider = services.BuildServiceProvider();
            Assert.IsType<RedisAdapterFactory>(provider.GetRequiredService<ISocketIOAdapterFactory>());
        }
    }

    [Fact]
    public async Task AddSocketIORedisSharded_uses_the_sharded_adapter_in_dynamic_mode_by_default_and_refuses_an_unknown_mode()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSocketIO().AddSocketIORedisSharded();
        await using (var provider = services.BuildServiceProvider())
        {
            Assert.IsType<RedisShardedAdapterFactory>(provider.GetRequiredService<ISocketIOAdapterFactory>());
            Assert.Equal(ShardedSubscriptionMode.Dynamic, provider.GetRequiredService<RedisShardedCluster>().Options.SubscriptionMode);
        }

        var unknown = new RedisShardedAdapterOptions { SubscriptionMode = (ShardedSubscriptionMode)7 };
        var result = new RedisShardedAdapterOptionsValidator().Validate(null, unknown);
        Assert.True(result.Failed);
        Assert.Contains("SubscriptionMode", result.FailureMessage);
    }

    [Fact]
    public void The_sharded_adapter_resubscribes_after_3_seconds_by_default_and_refuses_a_non_positive_delay()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), new RedisShardedAdapterOptions().ResubscribeAfter);

        var zero = new RedisShardedAdapterOptions { ResubscribeAfter = TimeSpan.Zero };
        var result = new RedisShardedAdapterOptionsValidator().Validate(null, zero);
        Assert.True(result.Failed);
        Assert.Contains("ResubscribeAfter", result.FailureMessage);
    }

    [Theory]
    [InlineData("", "Redis:Configuration")]
    [InlineData("redis://", "Redis:Configuration")]
    public void A_bad_configuration_is_refused_naming_the_key(string configuration, string key)
    {
        var failure = Validate(o => o.Configuration = configuration);
        Assert.Contains(key, failure);
    }

    [Fact]
    public void A_key_prefix_with_a_hash_and_a_non_positive_timeout_are_refused()
    {
        Assert.Contains("Redis:KeyPrefix", Validate(o => o.KeyPrefix = "a#b"));
        Assert.Contains("Redis:RequestsTimeout", Validate(o => o.RequestsTimeout = TimeSpan.Zero));
    }

    [Theory]
    [InlineData("redis://127.0.0.1:7001")]
    [InlineData("redis://:secret@redis.internal:6380/2")]
    [InlineData("127.0.0.1:7001,password=x")]
    public void Redis_urls_and_client_configuration_strings_are_accepted(string configuration) =>
        Assert.Null(Validate(o => o.Configuration = configuration));

    private static string? Validate(Action<RedisAdapterOptions> configure)
    {
        var options = new RedisAdapterOptions();
        configure(options);
        var result = new RedisAdapterOptionsValidator().Validate(null, options);
        return result.Failed ? result.FailureMessage : null;
    }
}
