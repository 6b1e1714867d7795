using System.Globalization;
using System.Net;
using PushServer.LoadGenerator.Scenarios;

// Load generator for PushServer and the Node reference server. Loopback targets only.
//   loadgen idle|broadcast|echo|soak --server 127.0.0.1:PORT [--push http://127.0.0.1:PUSHPORT/] --server-pid PID
//           [--clients N] [--connect-rate N] [--eio 4|3] [--sources N] [--broadcasts N] [--bps N] [--seconds S]
//           [--drain-seconds S] [--hold-seconds S]
//           [--warmup-seconds S] [--warmup-broadcasts N] [--baseline-clients N] [--transport websocket|polling] [--label NAME]
//   loadgen report RESULTS.jsonl   (Markdown table comparing runs labelled pushserver and reference, per generator)
// Prints one JSON line of results.
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: loadgen idle|broadcast|echo --server 127.0.0.1:PORT --server-pid PID [options]; see bench/README.md");
    return 2;
}

if (args[0] == "report")
{
    // loadgen report RESULTS.jsonl [SUBJECT REFERENCE]: the Markdown comparison of runs tagged "server": SUBJECT
    // (default "pushserver") against REFERENCE (default "reference"), e.g. "pushserver baseline" for an A/B of a change.
    var lines = File.ReadLines(args.Length > 1 ? args[1] : "/dev/stdin");
    Console.Write(args.Length > 3 ? ComparisonReport.Build(lines, args[2], args[3]) : ComparisonReport.Build(lines));
    return 0;
}

string? Value(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
double Number(string name, double fallback) => Value(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

var server = IPEndPoint.Parse(Value("--server") ?? throw new ArgumentException("--server is required"));
if (!IPAddress.IsLoopback(server.Address))
{
    Console.Error.WriteLine("loadgen only targets loopback addresses");
    return 2;
}
var options = new LoadOptions
{
    Server = server,
    PushApi = Value("--push") is { } push ? new Uri(push) : null,
    ServerPid = (int)Number("--server-pid", 0),
    Clients = (int)Number("--clients", 1000),
    ConnectRate = (int)Number("--connect-rate", 2000),
    Eio = (int)Number("--eio", 4),
    SourceAddresses = (int)Number("--sources", 20),
    Broadcasts = (int)Number("--broadcasts", 5),
    BroadcastsPerSecond = Number("--bps", 0),
    Seconds = Number("--seconds", 5),
    DrainSeconds = Number("--drain-seconds", 10),
    HoldSeconds = Number("--hold-seconds", 3),
    WarmupSeconds = Number("--warmup-seconds", 15),
    WarmupBroadcasts = (int)Number("--warmup-broadcasts", 60),
    BaselineClients = (int)Number("--baseline-clients", 1000),
    Polling = (Value("--transport") ?? "websocket") switch
    {
        "websocket" => false,
        "polling" => true,
        var other => throw new ArgumentException($"--transport must be websocket or polling (got {other})"),
    },
};
var result = args[0] switch
{
    "idle" => await IdleScenario.RunAsync(options),
    "broadcast" => await BroadcastScenario.RunAsync(options),
    "echo" => await EchoScenario.RunAsync(options),
    "soak" => await SoakScenario.RunAsync(options, SoakOptions.Parse(args)),
    _ => throw new ArgumentException($"unknown scenario {args[0]}"),
};
result.Set("connectRetries", Fleet.ConnectRetries);
result.Set("generator", ComparisonReport.DefaultGenerator);
if (Value("--label") is { } label)
{
    result.Set("server", label);
}
Console.WriteLine(result.ToJson());
return 0;
