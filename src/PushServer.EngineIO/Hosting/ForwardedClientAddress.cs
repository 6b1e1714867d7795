using System.Net;

namespace PushServer.EngineIO.Hosting;

/// <summary>
/// The client's address behind trusted reverse proxies (<see cref="EngineIOOptions.TrustedProxies"/>). A proxy appends
/// the address it received a request from to <c>X-Forwarded-For</c>, so the header reads client first, nearest proxy
/// last; only the entries appended by trusted proxies can be believed, since the client writes the rest. So the
/// header is read from the right while each address is a trusted proxy's, and the first one that is not is the
/// client. A request whose TCP peer is not a trusted proxy is its own client, whatever its header says.
/// </summary>
internal sealed class ForwardedClientAddress
{
    private readonly IPNetwork[] _trusted;

    public ForwardedClientAddress(IEnumerable<IPNetwork> trusted) => _trusted = [.. trusted];

    /// <summary>Whether any proxy is trusted; when none is, the header is never read.</summary>
    public bool IsEnabled => _trusted.Length > 0;

    /// <summary>
    /// The client of a request from <paramref name="peer"/> carrying <paramref name="forwardedFor"/> (every
    /// <c>X-Forwarded-For</c> line, joined with commas). An entry that is not an address (<c>unknown</c>, garbage) ends
    /// the walk: the last trusted address before it is the best known.
    /// </summary>
    public IPAddress? Resolve(IPAddress? peer, ReadOnlySpan<char> forwardedFor)
    {
        if (peer is null || !IsTrusted(peer))
        {
            return peer;
        }
        var client = peer;
        while (!forwardedFor.IsEmpty)
        {
            var comma = forwardedFor.LastIndexOf(',');
            var entry = forwardedFor[(comma + 1)..].Trim();
            forwardedFor = comma < 0 ? [] : forwardedFor[..comma];
            if (entry.IsEmpty)
            {
                continue;
            }
            if (!TryParse(entry, out var address))
            {
                break;
            }
            client = address;
            if (!IsTrusted(address))
            {
                break;
            }
        }
        return client;
    }

    private bool IsTrusted(IPAddress address)
    {
        // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; the configured ranges are written as IPv4.
        var normal = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in _trusted)
        {
            if (network.Contains(normal) || network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// An address, with or without a port (<c>203.0.113.7:4711</c>, <c>[2001:db8::1]:4711</c>, <c>2001:db8::1</c>), as
    /// proxies write them.
    /// </summary>
    private static bool TryParse(ReadOnlySpan<char> entry, out IPAddress address)
    {
        if (IPEndPoint.TryParse(entry, out var endPoint))
        {
            address = endPoint.Address;
            return true;
        }
        address = null!;
        return false;
    }
}
