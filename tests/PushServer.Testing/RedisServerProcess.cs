using System.Diagnostics;
using System.Globalization;

namespace PushServer.Testing;

/// <summary>Starts a redis-server child on loopback, for the single server and for each node of a cluster.</summary>
internal static class RedisServerProcess
{
    /// <summary>
    /// Starts redis-server on <paramref name="port"/> with persistence off and <paramref name="extraArguments"/>;
    /// returns the process at once, with a task that completes when it accepts connections and fails if it exits first.
    /// </summary>
    public static (Process Process, Task Ready) Start(int port, IEnumerable<string> extraArguments, string? workingDirectory = null)
    {
        var startInfo = new ProcessStartInfo("redis-server")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" }
            .Concat(extraArguments))
        {
            startInfo.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException("Process.Start returned null.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("Could not start 'redis-server' (install the redis-server package; ./test.sh does).", ex);
        }
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"redis-server on port {port} exited before it was ready."));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, ready.Task);
    }
}
