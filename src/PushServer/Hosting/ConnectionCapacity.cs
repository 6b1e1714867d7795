using PushServer.Configuration;

namespace PushServer.Hosting;

/// <summary>
/// How many connections the Socket.IO port may hold at once (<c>Server:MaxConnections</c>): configured, or derived
/// from the open-file limit so that a flood of connections can never take the process to it. At that limit nearly
/// anything the runtime does next fails (loading an assembly for a stack trace, reading /proc, creating a pipe) and
/// it aborts with "Out of memory."; connections past the cap are reset on accept instead.
/// </summary>
internal static class ConnectionCapacity
{
    /// <summary>
    /// Descriptors kept, beyond those open at start-up, for everything that is not a client connection: the push
    /// port's connections (backends), Redis (two or three), webhook requests (at most
    /// <see cref="Behaviours.Webhooks.WebhookClient.MaxConnections"/>), the assemblies the runtime loads on first use and keeps
    /// open (about 200 descriptors are such files at start-up; a first stack trace or token check adds a few dozen),
    /// /proc reads and pipes. Half the free descriptors when fewer than twice this are free.
    /// </summary>
    public const int Reserve = 512;

    /// <summary>What <paramref name="limit"/> leaves for connections: the free descriptors less <see cref="Reserve"/>.</summary>
    public static int Derive(DescriptorLimit limit)
    {
        var free = limit.Maximum - limit.Open;
        var kept = Math.Min(Reserve, free / 2);
        return (int)Math.Clamp(free - kept, 1, int.MaxValue);
    }

    /// <summary>The cap to apply now (0: none) and where it comes from, for the start-up log.</summary>
    public static (int MaxConnections, string Source) Resolve(ServerSettings options)
    {
        if (options.MaxConnections > 0)
        {
            return (options.MaxConnections, "Server:MaxConnections");
        }
        if (DescriptorLimit.Read() is not { } limit)
        {
            return (0, "the open-file limit is not known on this system; set Server:MaxConnections");
        }
        var kept = limit.Maximum - limit.Open - Derive(limit);
        return (Derive(limit), $"open-file limit {limit.Maximum}, {limit.Open} open at start-up, {kept} kept for the rest");
    }
}
