using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace PushServer.Tests.Infrastructure;

/// <summary>
/// The built <c>pushserver</c> executable running as a child process (<c>dotnet pushserver.dll start</c>, or another
/// form of it such as an installed tool or a single-file publish) on 127.0.0.1 with ports chosen by the system, read
/// back from its start-up log line. Disposing it kills the process by its id if it is still running, also when the
/// test failed.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Match> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _awaited = [];

    private ServerProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The executable built next to this test project, in the same configuration.</summary>
    public static string DllPath
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            return Path.Combine(RepositoryPaths.Root, "src", "PushServer", "bin", configuration, "net10.0", "pushserver.dll");
        }
    }

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The process's resident set in KiB now (Linux's <c>VmRSS</c>), for tests that report memory around a flood.</summary>
    public long ResidentSetKiB()
    {
        var line = File.ReadLines($"/proc/{ProcessId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The Socket.IO listener's port.</summary>
    public int SocketIOPort { get; private set; }

    /// <summary>The push listener's port.</summary>
    public int PushPort { get; private set; }

    /// <summary><c>http://127.0.0.1:SOCKETIOPORT</c>, for clients.</summary>
    public string SocketIOUrl => $"http://127.0.0.1:{SocketIOPort}";

    /// <summary><c>http://127.0.0.1:PUSHPORT/</c>.</summary>
    public Uri PushUri => new($"http://127.0.0.1:{PushPort}/");

    /// <summary>Everything the process wrote so far, both streams.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>pushserver start</c> with <paramref name="args"/> added, and waits until it listens.</summary>
    public static Task<ServerProcess> StartAsync(string[]? args = null, IReadOnlyDictionary<string, string>? environment = null) =>
        StartExecutableAsync(executable: null, args, environment);

    /// <summary>
    /// As <see cref="StartAsync"/>, with the process's open-file limit (soft and hard) set to
    /// <paramref name="descriptorLimit"/> first, as <c>ulimit -n</c> does: the runtime cannot raise it past that.
    /// </summary>
    public static Task<ServerProcess> StartWithDescriptorLimitAsync(int descriptorLimit, string[]? args = null, IReadOnlyDictionary<string, string>? environment = null) =>
        StartExecutableAsync(executable: null, args, environment, descriptorLimit);

    /// <summary>
    /// Starts <c><paramref name="executable"/> start</c> (the built dll through <c>dotnet</c> when null) with
    /// <paramref name="args"/> added, and waits until it listens.
    /// </summary>
    public static async Task<ServerProcess> StartExecutableAsync(
        string? executable, string[]? args = null, IReadOnlyDictionary<string, string>? environment = null, int? descriptorLimit = null)
    {
        var process = new Process
        {
            StartInfo = CreateStartInfo(executable, ["start", "--bind", "127.0.0.1", "--port", "0", "--push-port", "0", .. args ?? []], environment, descriptorLimit),
        };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // A process that stops at start-up (a configuration error, a port taken) fails the test at once, with its
            // output, instead of after the whole wait.
            var exited = process.WaitForExitAsync();
            await Task.WhenAny(server._listening.Task, exited).WaitAsync(TimeSpan.FromSeconds(30));
            if (!server._listening.Task.IsCompleted)
            {
                throw new InvalidOperationException($"pushserver exited with code {process.ExitCode} before it listened:\n" + server.Output);
            }
            var listening = await server._listening.Task;
            server.SocketIOPort = int.Parse(listening.Groups["io"].Value);
            server.PushPort = int.Parse(listening.Groups["push"].Value);
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException("pushserver did not report that it listens within 30 s:\n" + server.Output);
        }
        return server;
    }

    /// <summary>
    /// Starts <c>pushserver start</c> with its standard output on a pipe that is read only until the server reports
    /// that it listens, and never again: the pipe fills, as when the reader of a service's output stops reading.
    /// Standard error is still read into <see cref="Output"/>.
    /// </summary>
    public static async Task<ServerProcess> StartWithUnreadOutputAsync(string[]? args = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = new Process { StartInfo = CreateStartInfo(null, ["start", "--bind", "127.0.0.1", "--port", "0", "--push-port", "0", .. args ?? []], environment) };
        var server = new ServerProcess(process);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!server._listening.Task.IsCompleted)
            {
                var line = await process.StandardOutput.ReadLineAsync(deadline.Token)
                    ?? throw new InvalidOperationException("pushserver closed its output before it listened:\n" + server.Output);
                server.OnLine(line);
            }
            var listening = await server._listening.Task;
            server.SocketIOPort = int.Parse(listening.Groups["io"].Value);
            server.PushPort = int.Parse(listening.Groups["push"].Value);
        }
        catch (Exception)
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Waits until the process writes a line that <paramref name="match"/> accepts (also one written before); returns it.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            var earlier = _output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(match);
            if (earlier is not null)
            {
                return Task.FromResult(earlier);
            }
            _awaited.Add((match, found));
        }
        return found.Task.DefaultTimeout(timeout);
    }

    /// <summary>Runs another verb of the executable to completion; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunVerbAsync(params string[] args)
    {
        using var process = new Process { StartInfo = CreateStartInfo(executable: null, args, null) };
        process.Start();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Sends SIGTERM, as a container runtime or systemd does.</summary>
    public void Terminate()
    {
        if (kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone: nothing to stop.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static ProcessStartInfo CreateStartInfo(
        string? executable, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, int? descriptorLimit = null)
    {
        var info = new ProcessStartInfo(descriptorLimit is null ? executable ?? "dotnet" : "bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Away from the repository, so the configuration is the copy beside the executable.
            WorkingDirectory = Path.GetTempPath(),
        };
        if (descriptorLimit is { } limit)
        {
            // The shell sets the limit and then becomes the server (exec), so the process id is the server's.
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add($"ulimit -n {limit} && exec \"$@\"");
            info.ArgumentList.Add("bash");
            info.ArgumentList.Add(executable ?? "dotnet");
        }
        if (executable is null)
        {
            info.ArgumentList.Add(DllPath);
        }
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("PUSHSERVER_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        return info;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
            for (var i = _awaited.Count - 1; i >= 0; i--)
            {
                if (_awaited[i].Match(line))
                {
                    _awaited[i].Found.TrySetResult(line);
                    _awaited.RemoveAt(i);
                }
            }
        }
        var match = ListeningLine().Match(line.StartsWith('{') ? FromJsonEvent(line) : line);
        if (match.Success)
        {
            _listening.TrySetResult(match);
        }
    }

    /// <summary>The Listening event of <c>--log-format json</c> rendered as the text line, so one pattern reads both.</summary>
    private static string FromJsonEvent(string line)
    {
        try
        {
            var e = System.Text.Json.JsonDocument.Parse(line).RootElement;
            return e.TryGetProperty("SocketIOUrl", out var io) && e.TryGetProperty("PushUrl", out var push)
                ? $"Listening: Socket.IO on {io.GetString()}, push API on {push.GetString()}"
                : "";
        }
        catch (System.Text.Json.JsonException)
        {
            return "";
        }
    }

    [GeneratedRegex(@"Listening: Socket\.IO on http://[^:]+:(?<io>\d+)/socket\.io/, push API on http://[^:]+:(?<push>\d+)")]
    private static partial Regex ListeningLine();

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // A test helper: a plain P/Invoke is clearer than a generated one.
    private static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
