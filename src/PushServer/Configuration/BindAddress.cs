using System.Net;

namespace PushServer.Configuration;

/// <summary>A listener address as configured: an IP address, all interfaces, or <c>localhost</c>.</summary>
internal readonly record struct BindAddress(IPAddress? Address, bool AnyAddress, bool Localhost)
{
    /// <summary>True when only this machine can connect.</summary>
    public bool IsLoopback => Localhost || (!AnyAddress && Address is not null && IPAddress.IsLoopback(Address));

    /// <summary>The address to listen on; <c>localhost</c> listens on 127.0.0.1.</summary>
    public IPAddress ListenAddress => Localhost ? IPAddress.Loopback : Address ?? IPAddress.Any;

    /// <summary>
    /// Parses <c>*</c>, <c>0.0.0.0</c>, <c>::</c> (all interfaces), <c>localhost</c>, or an IPv4/IPv6 address.
    /// </summary>
    public static bool TryParse(string? text, out BindAddress address)
    {
        text = text?.Trim();
        address = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        if (text is "*" or "0.0.0.0" or "::" or "[::]")
        {
            // "::" asks for IPv6 (dual-stack where the system allows); the others for IPv4.
            address = new BindAddress(text.Contains(':') ? IPAddress.IPv6Any : IPAddress.Any, AnyAddress: true, Localhost: false);
            return true;
        }
        if (string.Equals(text, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = new BindAddress(null, AnyAddress: false, Localhost: true);
            return true;
        }
        if (IPAddress.TryParse(text.Trim('[', ']'), out var ip))
        {
            address = new BindAddress(ip, AnyAddress: false, Localhost: false);
            return true;
        }
        return false;
    }

    /// <summary>A host name usable in a URL to reach this listener from this machine.</summary>
    public string LocalHostForUrl() =>
        AnyAddress || Localhost || Address is null ? "127.0.0.1"
        : Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]"
        : Address.ToString();
}
