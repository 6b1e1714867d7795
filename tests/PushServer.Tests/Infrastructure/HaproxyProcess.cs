using System.Diagnostics;
using System.Net.Sockets;

namespace PushServer.Tests.Infrastructure;

/// <summary>
/// A real haproxy (Debian's) in front of some nodes, on a free loopback port, round-robin, with cookie-based sticky
/// sessions as in config/haproxy.cfg or without any affinity, appending the client's address to
/// <c>X-Forwarded-For</c> as config/haproxy.cfg does. Killed by PID on dispose.
/// </summary>
public sealed class HaproxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _configPath;

    private HaproxyProcess(Process process, string configPath, int port)
    {
        _process = process;
        _configPath = configPath;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Sticky sessions: a cookie names the node that served a client first.</summary>
    public static Task<HaproxyProcess> StartAsync(params int[] backendPorts) => StartAsync(sticky: true, backendPorts);

    /// <summary>Every request to the next node in turn, whatever session it belongs to.</summary>
    public static Task<HaproxyProcess> StartWithoutAffinityAsync(params int[] backendPorts) => StartAsync(sticky: false, backendPorts);

    private static async Task<HaproxyProcess> StartAsync(bool sticky, int[] backendPorts)
    {
        var port = FreePort();
        // Without affinity, as in config/haproxy-no-affinity.cfg: a node is checked often and taken out of the rotation
        // after one failed check, and a request whose connection a dead node refused is sent to another node.
        var servers = string.Join("\n", backendPorts.Select((p, i) => $"    server node{i + 1} 127.0.0.1:{p}" + (sticky ? $" cookie node{i + 1}" : " check inter 250ms fall 1 rise 2")));
        var cookie = sticky ? "cookie io_node insert indirect nocache" : "option redispatch\n    retries 3";
        var config = $"""
            global
                maxconn 1000
            defaults
                mode http
                timeout connect 5s
                timeout client 60s
                timeout server 60s
                timeout tunnel 1h
                option forwardfor
            frontend socketio
                bind 127.0.0.1:{port}
                default_backend pushserver
            backend pushserver
                balance roundrobin
                {cookie}
            {servers}

            """;
        var path = Path.Combine(Path.GetTempPath(), $"pushserver-haproxy-{Guid.NewGuid():N}.cfg");
        await File.WriteAllTextAsync(path, config);
        var process = Process.Start(new ProcessStartInfo("haproxy", ["-db", "-f", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("haproxy did not start (is Debian's haproxy installed? ./test.sh installs it)");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var haproxy = new HaproxyProcess(process, path, port);
        await haproxy.WaitUntilListeningAsync();
        return haproxy;
    }

    private async Task WaitUntilListeningAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"haproxy exited with code {_process.ExitCode}");
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port, cts.Token);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet: haproxy parses its configuration first.
                await Task.Delay(50, cts.Token);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            _process.Dispose();
            File.Delete(_configPath);
        }
    }
}
