using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PushServer.Tests.Packaging;

/// <summary>Runs a command to completion with a time limit; a command still running then is stopped and fails the test.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/> and returns its exit code and both streams together. Past
    /// <paramref name="timeout"/> it gets SIGTERM (so a script can clean up) and, <paramref name="grace"/> later, SIGKILL
    /// for its whole tree; then a <see cref="TimeoutException"/> carries what it wrote.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string file, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? grace = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = new Process { StartInfo = info };
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
            // The parameterless wait returns once both streams are read to the end.
            process.WaitForExit();
            return (process.ExitCode, Text(output));
        }
        catch (TimeoutException)
        {
            _ = kill(process.Id, Sigterm);
            try
            {
                await process.WaitForExitAsync().WaitAsync(grace ?? TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
            }
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}:\n{Text(output)}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static void Append(System.Text.StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Text(System.Text.StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private const int Sigterm = 15;

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // A test helper: a plain P/Invoke is clearer than a generated one.
    private static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
