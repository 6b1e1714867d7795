using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PushServer.Cli;

/// <summary><c>pushserver push</c>: emits an event through a running server's <c>POST /api/emit</c>.</summary>
internal static class PushCommand
{
    public static Command Create()
    {
        var client = new ClientFlags();
        var eventName = new Option<string>("--event", "-e")
        {
            Description = "Event name",
            HelpName = "NAME",
            DefaultValueFactory = _ => "chat message",
        };
        var data = new Option<string[]>("--data", "-d")
        {
            Description = "An event argument: JSON when it parses as JSON, else sent as a string; repeat for several",
            HelpName = "VALUE",
            AllowMultipleArgumentsPerToken = false,
        };
        var room = new Option<string[]>("--room", "-r") { Description = "Send to this room; repeat for several (default: everyone)", HelpName = "ROOM" };
        var except = new Option<string[]>("--except") { Description = "Leave out members of this room; repeatable", HelpName = "ROOM" };
        var nsp = new Option<string>("--namespace", "-n") { Description = "Namespace", HelpName = "NAMESPACE", DefaultValueFactory = _ => "/" };
        var socketId = new Option<string?>("--socket-id") { Description = "Send to this socket", HelpName = "ID" };
        var isVolatile = new Option<bool>("--volatile") { Description = "Drop the event for clients that cannot take it right away" };
        var ackTimeout = OptionValues.Milliseconds("--ack-timeout-ms", "Wait this long for every recipient's acknowledgement and print them");
        var json = new Option<bool>("--json") { Description = "Print the server's JSON answer" };

        var command = new Command("push", "Send a push to a running server (POST /api/emit)");
        foreach (var option in new Option[] { eventName, data, room, except, nsp, socketId, isVolatile, ackTimeout, json })
        {
            command.Options.Add(option);
        }
        client.AddTo(command);
        command.SetAction((parse, cancellationToken) => ClientFlags.RunAsync(parse, async error =>
        {
            var body = new JsonObject
            {
                ["event"] = parse.GetValue(eventName),
                ["args"] = new JsonArray([.. (parse.GetValue(data) ?? []).Select(ParseArgument)]),
                ["namespace"] = parse.GetValue(nsp),
                ["rooms"] = new JsonArray([.. (parse.GetValue(room) ?? []).Select(r => (JsonNode?)JsonValue.Create(r))]),
                ["except"] = new JsonArray([.. (parse.GetValue(except) ?? []).Select(r => (JsonNode?)JsonValue.Create(r))]),
                ["volatile"] = parse.GetValue(isVolatile),
            };
            if (parse.GetValue(socketId) is { } id)
            {
                body["socketId"] = id;
            }
            if (parse.GetValue(ackTimeout) is { } ms)
            {
                body["ackTimeoutMs"] = ms;
            }
            using var http = client.CreateClient(parse);
            using var response = await http.PostAsJsonAsync("api/emit", body, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return await ClientFlags.RefusedAsync(error, response, cancellationToken).ConfigureAwait(false);
            }
            var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(answer).ConfigureAwait(false);
                return (int)ExitCode.Ok;
            }
            using var document = JsonDocument.Parse(answer);
            var recipients = document.RootElement.GetProperty("recipients").GetInt32();
            // In a cluster a push without acks learns nothing back from the other nodes: its count is the asked node's.
            var where = document.RootElement.TryGetProperty("reach", out var reach) && reach.GetString() == "cluster"
                ? " on this node, and to the other nodes" : "";
            await output.WriteLineAsync($"Sent \"{parse.GetValue(eventName)}\" to {recipients} socket{(recipients == 1 ? "" : "s")}{where}")
                .ConfigureAwait(false);
            if (document.RootElement.TryGetProperty("acks", out var acks))
            {
                var timedOut = document.RootElement.TryGetProperty("ackTimedOut", out var t) && t.GetBoolean();
                await output.WriteLineAsync($"{acks.GetArrayLength()} acknowledgement(s){(timedOut ? " before the timeout" : "")}:").ConfigureAwait(false);
                foreach (var ack in acks.EnumerateArray())
                {
                    await output.WriteLineAsync("  " + ack.GetRawText()).ConfigureAwait(false);
                }
            }
            return (int)ExitCode.Ok;
        }));
        return command;
    }

    /// <summary>JSON when it parses (<c>42</c>, <c>{"a":1}</c>, <c>"quoted"</c>), else the text itself.</summary>
    internal static JsonNode? ParseArgument(string value)
    {
        try
        {
            return JsonNode.Parse(value) ?? JsonValue.Create((string?)null);
        }
        catch (JsonException)
        {
            return JsonValue.Create(value);
        }
    }
}
