using PushServer.Fuzzing;
using SharpFuzz;

// pushserver-fuzz TARGET              run TARGET under afl-fuzz (scripts/fuzz.sh starts it so)
// pushserver-fuzz TARGET PATH...      run TARGET once on each file (or each file of each folder): reproduces a crash
// pushserver-fuzz --list              print the target names
if (args.Length == 0 || args[0] == "--list")
{
    foreach (var name in FuzzTargets.All.Keys)
    {
        Console.WriteLine(name);
    }
    return args.Length == 0 ? 2 : 0;
}

if (!FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"unknown target '{args[0]}'; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}

if (args.Length == 1)
{
    // Out of process: a stack overflow kills only the child, which afl-fuzz then records as a crash.
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        target(buffer.ToArray());
    });
    return 0;
}

var failures = 0;
foreach (var file in args.Skip(1).SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p) : [p]).Order(StringComparer.Ordinal))
{
    try
    {
        target(File.ReadAllBytes(file));
    }
    catch (Exception ex)
    {
        failures++;
        Console.WriteLine($"{file}: {ex}");
    }
}
Console.WriteLine(failures == 0 ? "no failures" : $"{failures} failing input(s)");
return failures == 0 ? 0 : 1;
