using System.Diagnostics;
using System.Threading.Channels;

namespace PushServer.Tests.Infrastructure;

/// <summary>
/// python-socketio's client (<c>tests/python/socketio_client.py</c>, Debian's python3-socketio) as a child process,
/// reporting one JSON object per line. Disposing it closes its stdin (it disconnects) and kills it if it lingers.
/// </summary>
public sealed class PythonSocketIOClient : IAsyncDisposable
{
    // Debian's interpreter, where python3-socketio is installed; a python3 earlier on PATH may lack the module.
    private static readonly string s_python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly System.Text.StringBuilder _stderr = new();

    private PythonSocketIOClient(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _events.Writer.TryComplete();
            }
            else if (e.Data.StartsWith('{'))
            {
                _events.Writer.TryWrite(JsonDocument.Parse(e.Data).RootElement.Clone());
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Starts the client against <paramref name="url"/>, trusting <paramref name="caFile"/>.</summary>
    public static PythonSocketIOClient Start(string url, string caFile, string transports)
    {
        var info = new ProcessStartInfo(s_python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "tests", "python", "socketio_client.py"));
        info.ArgumentList.Add(url);
        info.ArgumentList.Add(caFile);
        info.ArgumentList.Add(transports);
        return new PythonSocketIOClient(Process.Start(info)!);
    }

    /// <summary>The next reported event named <paramref name="name"/>, skipping others; fails on <c>fatal</c> or exit.</summary>
    public async Task<JsonElement> WaitForAsync(string name, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await foreach (var e in _events.Reader.ReadAllAsync(cancel.Token))
            {
                var kind = e.GetProperty("event").GetString();
                if (kind == name)
                {
                    return e;
                }
                if (kind is "fatal" or "connect_error")
                {
                    throw new InvalidOperationException($"python-socketio: {e}\n{StandardError}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"python-socketio reported no {name}.\n{StandardError}");
        }
        throw new InvalidOperationException($"python-socketio exited before {name}.\n{StandardError}");
    }

    private string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
