using System.Net;

namespace PushServer.LoadGenerator.Clients;

/// <summary>
/// Hands out loopback source addresses (127.0.1.1, 127.0.1.2, …) in turn, so that tens of thousands of
/// connections to one server port never run out of ephemeral ports on a single source address.
/// </summary>
internal sealed class SourceAddressPool(int count)
{
    private int _next = -1;

    public IPAddress Next()
    {
        var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)count);
        return new IPAddress([127, 0, (byte)(1 + index / 250), (byte)(1 + index % 250)]);
    }
}
