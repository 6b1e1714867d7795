namespace PushServer.SocketIO.Redis.Tests;

/// <summary>Runs a command of tests/node/redis-node.js or redis-emitter.js and waits for its <c>done</c> event.</summary>
internal static class NodeDriver
{
    private static int s_nextId;

    public static async Task<JsonElement> RunAsync(this NodeClient driver, string op, object? fields = null)
    {
        var id = Interlocked.Increment(ref s_nextId);
        var command = new Dictionary<string, object?> { ["op"] = op, ["id"] = id };
        if (fields is not null)
        {
            foreach (var p in fields.GetType().GetProperties())
            {
                command[p.Name] = p.GetValue(fields);
            }
        }
        await driver.SendAsync(command);
        var done = await driver.WaitForEventAsync("done", e => e.GetProperty("id").GetInt32() == id);
        if (done.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{op} failed in the Node driver: {error}");
        }
        return done.TryGetProperty("result", out var result) ? result : default;
    }
}
