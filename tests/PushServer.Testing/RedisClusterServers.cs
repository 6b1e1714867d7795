using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PushServer.Testing;

/// <summary>
/// A throwaway Redis Cluster on 127.0.0.1: three masters with one replica each, six <c>redis-server</c> processes on
/// free ports, no persistence. Disposing it kills every process by its id and deletes the nodes' files, also when a
/// test failed.
/// </summary>
public sealed class RedisClusterServers : IAsyncDisposable
{
    private const int NodeCount = 6;

    private readonly string _directory = Directory.CreateTempSubdirectory("redis-cluster-").FullName;
    private readonly List<(int Port, Process Process)> _nodes = [];

    private RedisClusterServers()
    {
    }

    /// <summary>The ports of the six nodes.</summary>
    public IReadOnlyList<int> Ports => [.. _nodes.Select(n => n.Port)];

    /// <summary>The seed list every client is given: <c>redis://127.0.0.1:P1,redis://127.0.0.1:P2,…</c>, all six nodes.</summary>
    public string Url => string.Join(",", _nodes.Select(n => $"redis://127.0.0.1:{n.Port}"));

    /// <summary>Starts six nodes, joins them into a cluster of three masters and three replicas, and waits until every
    /// node reports <c>cluster_state:ok</c>.</summary>
    public static async Task<RedisClusterServers> StartAsync()
    {
        var cluster = new RedisClusterServers();
        try
        {
            for (var i = 0; i < NodeCount; i++)
            {
                await cluster.StartNodeOnFreePortsAsync().ConfigureAwait(false);
            }
            var create = new List<string> { "--cluster", "create" };
            create.AddRange(cluster._nodes.Select(n => $"127.0.0.1:{n.Port}"));
            create.AddRange(["--cluster-replicas", "1", "--cluster-yes"]);
            await RunCliAsync(create).ConfigureAwait(false);
            await cluster.WaitUntilHealthyAsync().ConfigureAwait(false);
            await cluster.WaitUntilReplicasSyncedAsync().ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until every running node reports <c>cluster_state:ok</c> (within the default timeout).</summary>
    public Task WaitUntilHealthyAsync() => WaitUntilStateAsync("ok");

    /// <summary>
    /// Waits until every running node reports <c>cluster_state:</c><paramref name="state"/> (within the default
    /// timeout): <c>fail</c> once a master is down and no replica has taken over, when every node answers CLUSTERDOWN.
    /// </summary>
    public async Task WaitUntilStateAsync(string state)
    {
        var expected = "cluster_state:" + state;
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        foreach (var (port, process) in _nodes)
        {
            if (process.HasExited)
            {
                continue;
            }
            while (!(await RunCliAsync(["-p", port.ToString(CultureInfo.InvariantCulture), "cluster", "info"]).ConfigureAwait(false))
                .Contains(expected, StringComparison.Ordinal))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"Redis Cluster node {port} did not reach {expected}.");
                }
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    // A replica that never synchronised with its master refuses to replace it, so a failover test could not start.
    private async Task WaitUntilReplicasSyncedAsync()
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        foreach (var (port, _) in _nodes)
        {
            var p = port.ToString(CultureInfo.InvariantCulture);
            while (true)
            {
                var replication = await RunCliAsync(["-p", p, "info", "replication"]).ConfigureAwait(false);
                var isReplica = replication.Contains("role:slave", StringComparison.Ordinal);
                var masterHasReplica = replication.Contains("connected_slaves:1", StringComparison.Ordinal);
                if ((isReplica && replication.Contains("master_link_status:up", StringComparison.Ordinal)) || masterHasReplica)
                {
                    break;
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"Redis Cluster node {port} has no synchronised replica or master.");
                }
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Kills (as a crash would) the master that serves <paramref name="channelOrKey"/>'s hash slot, waits until a
    /// replica has taken over and every surviving node reports <c>cluster_state:ok</c>, and returns the killed port.
    /// </summary>
    public async Task<int> KillMasterOfAsync(string channelOrKey)
    {
        var master = await MasterOfAsync(channelOrKey).ConfigureAwait(false);
        await KillAsync(master).ConfigureAwait(false);
        await WaitUntilMasterOfIsNotAsync(channelOrKey, master).ConfigureAwait(false);
        return master;
    }

    /// <summary>The port of the master serving <paramref name="channelOrKey"/>'s hash slot, as a running node sees the cluster.</summary>
    public async Task<int> MasterOfAsync(string channelOrKey)
    {
        var any = AnyRunningPort();
        return await MasterOfSlotAsync(any, await SlotOfAsync(any, channelOrKey).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>The port of the (first listed) replica of the master on <paramref name="masterPort"/>, from <c>CLUSTER NODES</c>.</summary>
    public async Task<int> ReplicaOfAsync(int masterPort) => (await ReplicasOfAsync(masterPort).ConfigureAwait(false))[0];

    /// <summary>The ports of the replicas of the master on <paramref name="masterPort"/>, from <c>CLUSTER NODES</c>.</summary>
    public async Task<IReadOnlyList<int>> ReplicasOfAsync(int masterPort)
    {
        // Each line: id ip:port@busport flags master-id ...; a replica's master-id is its master's id.
        var nodes = (await RunCliAsync(["-p", AnyRunningPort(), "cluster", "nodes"]).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .ToList();
        var masterId = nodes.Single(n => PortOf(n[1]) == masterPort)[0];
        return [.. nodes.Where(n => n[3] == masterId).Select(n => PortOf(n[1]))];

        static int PortOf(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..address.IndexOf('@', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Makes the node on <paramref name="replicaPort"/> (a replica) replicate the master on
    /// <paramref name="masterPort"/> instead (<c>CLUSTER REPLICATE</c>), and waits until it has synchronised with it.
    /// </summary>
    public async Task ReplicateAsync(int replicaPort, int masterPort)
    {
        var replica = replicaPort.ToString(CultureInfo.InvariantCulture);
        var masterId = (await RunCliAsync(["-p", masterPort.ToString(CultureInfo.InvariantCulture), "cluster", "myid"]).ConfigureAwait(false)).Trim();
        await RunCliAsync(["-p", replica, "cluster", "replicate", masterId]).ConfigureAwait(false);
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            var replication = await RunCliAsync(["-p", replica, "info", "replication"]).ConfigureAwait(false);
            if (replication.Contains($"master_port:{masterPort}", StringComparison.Ordinal)
                && replication.Contains("master_link_status:up", StringComparison.Ordinal))
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Redis Cluster node {replicaPort} did not synchronise with its new master {masterPort}.");
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether the replica on <paramref name="replicaPort"/> may take over by itself when its master fails
    /// (<c>cluster-replica-no-failover</c>); a manual <see cref="TakeOverAsync"/> still works when it may not.
    /// </summary>
    public Task AllowAutomaticFailoverAsync(int replicaPort, bool allowed) =>
        RunCliAsync(["-p", replicaPort.ToString(CultureInfo.InvariantCulture), "config", "set", "cluster-replica-no-failover", allowed ? "no" : "yes"]);

    /// <summary>Kills (as a crash would) the node on <paramref name="port"/>, and waits only for the process to end.</summary>
    public async Task KillAsync(int port)
    {
        var (_, process) = _nodes.Single(n => n.Port == port);
        process.Kill();
        await process.WaitForExitAsync().DefaultTimeout().ConfigureAwait(false);
    }

    /// <summary>
    /// Makes the replica on <paramref name="replicaPort"/> a master at once (<c>CLUSTER FAILOVER TAKEOVER</c>, which
    /// needs no agreement of the other masters), and waits until it serves <paramref name="channelOrKey"/>'s slot and
    /// every running node reports <c>cluster_state:ok</c>.
    /// </summary>
    public async Task TakeOverAsync(int replicaPort, string channelOrKey)
    {
        var before = await MasterOfAsync(channelOrKey).ConfigureAwait(false);
        await RunCliAsync(["-p", replicaPort.ToString(CultureInfo.InvariantCulture), "cluster", "failover", "takeover"]).ConfigureAwait(false);
        await WaitUntilMasterOfIsNotAsync(channelOrKey, before).ConfigureAwait(false);
    }

    // Waits until another node than `master` serves the slot, and the cluster is healthy again.
    private async Task WaitUntilMasterOfIsNotAsync(string channelOrKey, int master)
    {
        var survivor = AnyRunningPort();
        var slot = await SlotOfAsync(survivor, channelOrKey).ConfigureAwait(false);
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (await MasterOfSlotAsync(survivor, slot).ConfigureAwait(false) == master)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No replica took over slot {slot} from the master {master}.");
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        await WaitUntilHealthyAsync().ConfigureAwait(false);
    }

    private string AnyRunningPort() => _nodes.First(n => !n.Process.HasExited).Port.ToString(CultureInfo.InvariantCulture);

    private static async Task<int> SlotOfAsync(string askedPort, string channelOrKey) =>
        int.Parse((await RunCliAsync(["-p", askedPort, "cluster", "keyslot", channelOrKey]).ConfigureAwait(false)).Trim(), CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in _nodes)
        {
            using (process)
            {
                try
                {
                    process.Kill();
                }
                catch (InvalidOperationException)
                {
                    // Only control flow: it has already exited.
                }
                await process.WaitForExitAsync().DefaultTimeout().ConfigureAwait(false);
            }
        }
        _nodes.Clear();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Only control flow: a leftover temporary directory is harmless.
        }
    }

    // Each node needs a client port and a cluster bus port, taken from the OS. Another test may take a port between its
    // release and redis-server binding it; the node then exits at once, and is started again on other ports.
    private async Task StartNodeOnFreePortsAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var ports = FreePorts(2);
            try
            {
                await StartNodeAsync(ports[0], ports[1]).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                var (_, failed) = _nodes[^1];
                _nodes.RemoveAt(_nodes.Count - 1);
                failed.Dispose();
            }
        }
    }

    private async Task StartNodeAsync(int port, int busPort)
    {
        var p = port.ToString(CultureInfo.InvariantCulture);
        var (process, ready) = RedisServerProcess.Start(port, [
            "--cluster-enabled", "yes", "--cluster-config-file", $"nodes-{p}.conf",
            "--cluster-port", busPort.ToString(CultureInfo.InvariantCulture),
            // Short enough that a killed master is replaced within seconds.
            "--cluster-node-timeout", "1000", "--dir", _directory], _directory);
        // Listed before it is ready, so a failed start still kills it on dispose.
        _nodes.Add((port, process));
        await ready.DefaultTimeout().ConfigureAwait(false);
    }

    // The port of the master serving slot, as the node on askedPort sees the cluster.
    private static async Task<int> MasterOfSlotAsync(string askedPort, int slot)
    {
        var lines = (await RunCliAsync(["-p", askedPort, "cluster", "slots"]).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // CLUSTER SLOTS prints, per range: start, end, then per node ip, port, id (master first).
        for (var i = 0; i + 4 < lines.Length; i++)
        {
            if (int.TryParse(lines[i], CultureInfo.InvariantCulture, out var start) && int.TryParse(lines[i + 1], CultureInfo.InvariantCulture, out var end)
                && lines[i + 2] == "127.0.0.1" && start <= slot && slot <= end)
            {
                return int.Parse(lines[i + 3], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"No master found for slot {slot}.");
    }

    private static async Task<string> RunCliAsync(IEnumerable<string> args)
    {
        var startInfo = new ProcessStartInfo("redis-cli") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Process.Start returned null.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().DefaultTimeout().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli {string.Join(' ', startInfo.ArgumentList)} failed: {await error.ConfigureAwait(false)}");
        }
        return await output.ConfigureAwait(false);
    }

    private static int[] FreePorts(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
