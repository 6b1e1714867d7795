using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using PushServer.PushApi;
using PushServer.Shared;

namespace PushServer.Cli;

/// <summary><c>pushserver status</c>: a running server's statistics, as a table or as JSON.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var client = new ClientFlags();
        var json = new Option<bool>("--json") { Description = "Print the statistics as JSON, for scripts" };
        var command = new Command("status", "Show a running server's statistics (GET /api/stats)");
        command.Options.Add(json);
        client.AddTo(command);
        command.SetAction((parse, cancellationToken) => ClientFlags.RunAsync(parse, async error =>
        {
            using var http = client.CreateClient(parse);
            using var response = await http.GetAsync("api/stats", cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return await ClientFlags.RefusedAsync(error, response, cancellationToken).ConfigureAwait(false);
            }
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                return (int)ExitCode.Ok;
            }
            var stats = await response.Content.ReadFromJsonAsync<ServerStats>(HttpJson.Options, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(Render(stats!)).ConfigureAwait(false);
            return (int)ExitCode.Ok;
        }));
        return command;
    }

    /// <summary>The statistics as aligned text.</summary>
    internal static string Render(ServerStats stats)
    {
        var c = CultureInfo.InvariantCulture;
        var rows = new List<(string, string)>
        {
            ("Version", stats.Version),
            ("Uptime", TimeSpan.FromSeconds(Math.Floor(stats.UptimeSeconds)).ToString("c", c)),
            ("State", stats.Draining ? "draining" : "running"),
            ("Connections", stats.Connections.ToString(c)),
            ("  by transport", Join(stats.Transports)),
            ("  by protocol", Join(stats.Protocols.ToDictionary(p => "EIO" + p.Key, p => p.Value))),
            ("Send queue", stats.SendQueueBytes.ToString(c) + " bytes"),
        };
        if (stats.Cluster is { } cluster)
        {
            rows.Add(("Cluster", cluster.Reachable
                ? $"{cluster.RespondedNodes.ToString(c)} of {cluster.Nodes.ToString(c)} nodes answered"
                : "unreachable: counts are this node's only"));
            foreach (var nsp in cluster.Namespaces)
            {
                rows.Add(($"  {nsp.Name}", $"{nsp.Sockets.ToString(c)} sockets, {nsp.Rooms.ToString(c)} rooms on all nodes"));
            }
        }
        var width = rows.Max(r => r.Item1.Length) + 2;
        var text = new System.Text.StringBuilder();
        foreach (var (name, value) in rows)
        {
            text.Append(name.PadRight(width)).AppendLine(value);
        }
        text.AppendLine();
        var nameWidth = Math.Max("NAMESPACE".Length, stats.Namespaces.Select(n => n.Name.Length).DefaultIfEmpty(0).Max()) + 2;
        text.Append("NAMESPACE".PadRight(nameWidth)).Append("SOCKETS".PadLeft(9)).AppendLine("ROOMS".PadLeft(9));
        foreach (var nsp in stats.Namespaces)
        {
            text.Append(nsp.Name.PadRight(nameWidth))
                .Append(nsp.Sockets.ToString(c).PadLeft(9))
                .AppendLine(nsp.Rooms.ToString(c).PadLeft(9));
        }
        return text.ToString();
    }

    private static string Join(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "-" : string.Join(", ", counts.Select(p => $"{p.Key} {p.Value}"));
}
