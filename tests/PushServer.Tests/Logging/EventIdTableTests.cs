using System.Reflection;
using Microsoft.Extensions.Time.Testing;
using PushServer.Logging;

namespace PushServer.Tests.Logging;

/// <summary>
/// Every layer's log events share one process and one log in the executable, and the limiter of client-caused lines
/// (<c>ClientCausedEvents</c>) tells events apart by id alone: an id two layers both use would limit, and let an
/// operator filter, the wrong event as well.
/// </summary>
public sealed class EventIdTableTests
{
    private static readonly (Assembly Assembly, string Table)[] Tables =
    [
        (typeof(PushServer.EngineIO.EngineServer).Assembly, "PushServer.EngineIO.EngineEventIds"),
        (typeof(PushServer.SocketIO.SocketIOServer).Assembly, "PushServer.SocketIO.SocketIOEventIds"),
        (typeof(PushServer.SocketIO.Redis.RedisAdapter).Assembly, "PushServer.SocketIO.Redis.RedisEventIds"),
        (typeof(PushServerEventIds).Assembly, "PushServer.PushServerEventIds"),
    ];

    private static IEnumerable<(string Name, int Id)> IdsOf(Assembly assembly, string table)
    {
        var type = assembly.GetType(table, throwOnError: true)!;
        return type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .Select(f => ($"{type.Name}.{f.Name}", (int)f.GetRawConstantValue()!));
    }

    [Fact]
    public void No_two_events_of_any_layer_share_an_id()
    {
        var all = Tables.SelectMany(t => IdsOf(t.Assembly, t.Table)).ToList();
        Assert.All(Tables, t => Assert.NotEmpty(IdsOf(t.Assembly, t.Table)));

        var shared = all.GroupBy(e => e.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Name))}")
            .ToList();
        Assert.True(shared.Count == 0, "Event ids used twice:\n" + string.Join("\n", shared));
    }

    [Fact]
    public void No_Redis_adapter_event_is_limited_as_a_client_caused_one()
    {
        var sink = new CollectingSink();
        using var limiter = new ClientEventLimiter(sink, ClientCausedEvents.Ids, 3, TimeSpan.FromSeconds(10), new FakeTimeProvider());
        var redis = IdsOf(Tables[2].Assembly, Tables[2].Table).ToList();
        foreach (var (name, id) in redis)
        {
            for (var i = 0; i < 10; i++)
            {
                limiter.Emit(LogEvents.WithId(id, name, "PushServer.SocketIO.Redis"));
            }
        }

        // A Redis outage is the operator's to see whole: nothing held back, no summary.
        Assert.Equal(redis.Count * 10, sink.Events.Count);
    }
}
