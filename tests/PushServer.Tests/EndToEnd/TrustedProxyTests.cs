using System.Net.Sockets;

namespace PushServer.Tests.EndToEnd;

/// <summary>
/// The executable behind a real haproxy (<c>option forwardfor</c>, as config/haproxy.cfg): every client reaches the
/// node from haproxy's address, so a per-address handshake limit counts them as one client, unless haproxy is listed
/// in <c>EngineIO:TrustedProxies</c>. Clients come from distinct loopback addresses (127.0.1.x).
/// </summary>
public sealed class TrustedProxyTests : ResourceTests
{
    private const int Clients = 5;

    private async Task<HaproxyProcess> StartBehindHaproxyAsync(bool trustHaproxy)
    {
        var environment = new Dictionary<string, string> { ["PUSHSERVER_EngineIO__MaxHandshakesPerSecondPerIp"] = "1" };
        if (trustHaproxy)
        {
            // haproxy connects to the node from 127.0.0.1; the clients' own addresses are other loopback ones.
            environment["PUSHSERVER_EngineIO__TrustedProxies__0"] = "127.0.0.1";
        }
        var node = Resources.Add(await ServerProcess.StartAsync(environment: environment));
        return Resources.Add(await HaproxyProcess.StartAsync(node.SocketIOPort));
    }

    /// <summary>A polling handshake through haproxy from the loopback address 127.0.1.<paramref name="host"/>.</summary>
    private static async Task<HttpStatusCode> HandshakeFromAsync(HaproxyProcess haproxy, int host)
    {
        var source = IPAddress.Parse($"127.0.1.{host}");
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { Timeout = TimeSpan.FromSeconds(30) };
        return (await http.GetAsync($"{haproxy.Url}/socket.io/?EIO=4&transport=polling")).StatusCode;
    }

    private static async Task<List<HttpStatusCode>> HandshakeFromEachClientAsync(HaproxyProcess haproxy)
    {
        var answers = new List<HttpStatusCode>();
        for (var host = 1; host <= Clients; host++)
        {
            answers.Add(await HandshakeFromAsync(haproxy, host));
        }
        return answers;
    }

    [Fact]
    public async Task With_haproxy_trusted_each_client_has_its_own_handshake_limit()
    {
        var haproxy = await StartBehindHaproxyAsync(trustHaproxy: true);

        Assert.All(await HandshakeFromEachClientAsync(haproxy), status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task Without_it_every_client_shares_haproxys_limit()
    {
        var haproxy = await StartBehindHaproxyAsync(trustHaproxy: false);

        // One handshake a second for all of them: however slowly the five go out, not all are let through.
        Assert.Contains(HttpStatusCode.TooManyRequests, await HandshakeFromEachClientAsync(haproxy));
    }
}
