using System.Net;
using Microsoft.AspNetCore.Http;

namespace PushServer.PushApi;

/// <summary>
/// Whether a request's Host header names this machine's loopback: <c>localhost</c> (with or without the root dot),
/// <c>127.0.0.0/8</c> or <c>[::1]</c>, with any port, in any case. A token-less push port answers only these, because
/// a page whose domain the attacker re-points at 127.0.0.1 (DNS rebinding) is same-origin with the port in the
/// browser's eyes, and its requests differ from a local backend's only in naming the attacker's domain.
/// </summary>
internal static class LoopbackHostName
{
    /// <summary>True when <paramref name="host"/> names the loopback; false for any other name, and for none.</summary>
    public static bool Matches(HostString host)
    {
        // Host drops the port and brackets an IPv6 literal.
        var name = host.Host;
        if (name.Length == 0)
        {
            return false;
        }
        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "localhost.", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        // Only a literal address: a name under the attacker's control (127.0.0.1.nip.io) never parses as one.
        return IPAddress.TryParse(name.AsSpan().Trim('[').TrimEnd(']'), out var address) && IPAddress.IsLoopback(address);
    }
}
