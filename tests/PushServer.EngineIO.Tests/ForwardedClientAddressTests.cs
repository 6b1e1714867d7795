using System.Net;
using PushServer.EngineIO.Hosting;

namespace PushServer.EngineIO.Tests;

/// <summary>Which address of <c>X-Forwarded-For</c> is the client's, and when the header is not believed at all.</summary>
public sealed class ForwardedClientAddressTests
{
    private static readonly ForwardedClientAddress BehindProxies = new([IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("fd00::/8")]);

    private static string? Resolve(string peer, string forwardedFor, ForwardedClientAddress? resolver = null) =>
        (resolver ?? BehindProxies).Resolve(IPAddress.Parse(peer), forwardedFor)?.ToString();

    [Theory]
    [InlineData("10.0.0.1", "203.0.113.7", "203.0.113.7")]
    [InlineData("10.0.0.1", "", "10.0.0.1")]
    [InlineData("10.0.0.1", " 203.0.113.7 ,", "203.0.113.7")]
    // Entries the client wrote itself come before the one the trusted proxy appended: only the rightmost untrusted counts.
    [InlineData("10.0.0.1", "198.51.100.9, 203.0.113.7", "203.0.113.7")]
    // A chain of trusted proxies is read through to the first address that is not one.
    [InlineData("10.0.0.1", "198.51.100.9, 203.0.113.7, 10.0.0.2, 10.9.9.9", "203.0.113.7")]
    // Only trusted proxies: the leftmost is the best known.
    [InlineData("10.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.3")]
    // Not an address: the walk stops at the last trusted hop before it.
    [InlineData("10.0.0.1", "203.0.113.7, unknown", "10.0.0.1")]
    [InlineData("10.0.0.1", "203.0.113.7, garbage, 10.0.0.2", "10.0.0.2")]
    // Ports and brackets, as some proxies write them.
    [InlineData("10.0.0.1", "203.0.113.7:4711", "203.0.113.7")]
    [InlineData("10.0.0.1", "[2001:db8::1]:4711", "2001:db8::1")]
    [InlineData("10.0.0.1", "2001:db8::1", "2001:db8::1")]
    [InlineData("fd00::5", "203.0.113.7", "203.0.113.7")]
    // A dual-stack socket's view of an IPv4 proxy.
    [InlineData("::ffff:10.0.0.1", "203.0.113.7", "203.0.113.7")]
    public void A_trusted_proxys_header_names_the_client(string peer, string forwardedFor, string client) =>
        Assert.Equal(client, Resolve(peer, forwardedFor));

    [Theory]
    [InlineData("203.0.113.7", "198.51.100.9")]
    [InlineData("11.0.0.1", "198.51.100.9")]
    public void The_header_of_a_peer_that_is_no_trusted_proxy_is_ignored(string peer, string forwardedFor) =>
        Assert.Equal(peer, Resolve(peer, forwardedFor));

    [Fact]
    public void With_no_trusted_proxy_nothing_is_read()
    {
        var resolver = new ForwardedClientAddress([]);

        Assert.False(resolver.IsEnabled);
        Assert.Equal("127.0.0.1", Resolve("127.0.0.1", "203.0.113.7", resolver));
        Assert.Null(resolver.Resolve(null, "203.0.113.7"));
    }
}
