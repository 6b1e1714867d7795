using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Xunit;

namespace PushServer.Testing;

/// <summary>
/// A Node.js client driver from <c>tests/node</c> running as a child process: commands go
/// to its stdin and events come back from its stdout, one JSON object per line.
/// Disposing it ends the process, also when the test failed.
/// </summary>
/// <example>
/// <code>
/// await using var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig(server.Url) { Version = 2 });
/// var connect = await client.WaitForEventAsync("connect");
/// var ack = await client.EmitWithAckAsync("echo", "hello");
/// Assert.Equal("hello", ack.GetProperty("args")[0].GetString());
/// </code>
/// </example>
public sealed partial class NodeClient : IAsyncDisposable
{
    // Seconds a driver gets to leave on its own after "exit" and stdin EOF before it is killed.
    private static readonly TimeSpan s_exitGracePeriod = TimeSpan.FromSeconds(3);

    // Keeps failure messages readable when a driver is chatty on stderr.
    private const int MaxStandardErrorChars = 16 * 1024;

    // Commands and configs: camelCase, nulls left out, byte[] sent as real binary ({"$binary":…}).
    private static readonly JsonSerializerOptions s_jsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new NodeBinaryJsonConverter() },
    };

    private readonly Process _process;
    private readonly string _description;
    private readonly object _lock = new();
    private readonly List<JsonElement> _events = [];
    private readonly List<bool> _consumed = [];
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _stdinLock = new(1, 1);
    private readonly Task _stdoutPump;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stdoutEnded;
    private int _disposed;
    private int? _exitCodeAtDisposal;

    private NodeClient(Process process, string description)
    {
        _process = process;
        _description = description;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_lock)
            {
                if (_stderr.Length < MaxStandardErrorChars)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
        _stdoutPump = Task.Run(PumpStandardOutputAsync);
    }

    /// <summary>The process id of the driver.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Sends <paramref name="signal"/> (a name such as <c>KILL</c>, <c>STOP</c> or <c>CONT</c>) to the driver with
    /// <c>kill</c>, unless it has exited; a failed kill fails the test unless <paramref name="ignoreFailure"/>.
    /// </summary>
    public void Signal(string signal, bool ignoreFailure = false)
    {
        if (ExitCode is not null)
        {
            return;
        }
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, ProcessId.ToString()]) { RedirectStandardError = true })!;
        kill.WaitForExit();
        Assert.True(ignoreFailure || kill.ExitCode == 0, $"kill -{signal} {ProcessId}: {kill.StandardError.ReadToEnd()}");
    }

    /// <summary>The driver's exit code once it has exited (after a kill: 128 + signal), otherwise null.</summary>
    public int? ExitCode
    {
        get
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return _exitCodeAtDisposal;
            }

            try
            {
                return _process.HasExited ? _process.ExitCode : null;
            }
            catch (InvalidOperationException)
            {
                // Only control flow: disposed meanwhile.
                return _exitCodeAtDisposal;
            }
        }
    }

    /// <summary>Everything the driver has written to stderr so far (clipped to 16 KB).</summary>
    public string StandardError
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Every event reported so far, in order, whether or not a wait has returned it.</summary>
    public IReadOnlyList<JsonElement> Events
    {
        get
        {
            lock (_lock)
            {
                return _events.ToArray();
            }
        }
    }

    /// <summary>
    /// Starts <c>node tests/node/<paramref name="scriptName"/> '&lt;config as JSON&gt;'</c> and waits
    /// for its <c>ready</c> event.
    /// </summary>
    /// <param name="scriptName">A script in <c>tests/node</c>, e.g. <c>socketio-client.js</c>.</param>
    /// <param name="config">Serialized to JSON (camelCase, nulls left out) as the first argument.</param>
    /// <param name="cancellationToken">Cancels the wait for <c>ready</c>.</param>
    /// <exception cref="InvalidOperationException">
    /// <c>tests/node/node_modules</c> is missing, <c>node</c> cannot be started, or the script exits before it is ready.
    /// </exception>
    public static async Task<NodeClient> StartAsync(string scriptName, object? config = null, CancellationToken cancellationToken = default)
    {
        var nodeDirectory = RepositoryPaths.NodeDirectory;
        if (!Directory.Exists(Path.Combine(nodeDirectory, "node_modules")))
        {
            throw new InvalidOperationException(
                $"{Path.Combine(nodeDirectory, "node_modules")} is missing: the Node clients are not installed. " +
                "Run the test command from README (./test.sh at the repository root), or 'npm ci' in tests/node.");
        }

        var scriptPath = Path.Combine(nodeDirectory, scriptName);
        if (!File.Exists(scriptPath))
        {
            throw new InvalidOperationException($"No Node driver {scriptPath}.");
        }

        var configJson = JsonSerializer.Serialize(config ?? new { }, s_jsonOptions);
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = nodeDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // No byte-order mark: the driver parses each line as JSON.
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(scriptPath);
        startInfo.ArgumentList.Add(configJson);

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException("Process.Start returned null.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start 'node' (is Node.js on PATH?): {ex.Message}", ex);
        }

        var client = new NodeClient(process, $"{scriptName} {configJson}");
        LiveClients.Add(client);
        try
        {
            // Loading socket.io-client or ioredis takes Node well under a second on its own, but many seconds while
            // both cores are busy with other test processes.
            await client.WaitForEventAsync("ready", timeout: TimeSpan.FromSeconds(60), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return client;
    }

    /// <summary>Writes one command (serialized as a single JSON line) to the driver's stdin.</summary>
    /// <example><code>await client.SendAsync(new { op = "send", text = "hello" });</code></example>
    public async Task SendAsync(object command, CancellationToken cancellationToken = default)
    {
        var line = JsonSerializer.Serialize(command, s_jsonOptions);
        await _stdinLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"Could not send {line}: the driver has gone. {DescribeState()}", ex);
        }
        finally
        {
            _stdinLock.Release();
        }
    }

    /// <summary>
    /// Waits for the earliest event named <paramref name="eventName"/> (its <c>"event"</c> property)
    /// that <paramref name="match"/> accepts and that no earlier wait returned; the event is then
    /// taken, so two waits for <c>"message"</c> return the first and the second message. Events that
    /// arrived before the call count.
    /// </summary>
    /// <param name="eventName">The event to wait for, e.g. <c>connect</c>, <c>message</c>, <c>event</c>.</param>
    /// <param name="match">An optional further condition on the whole event object.</param>
    /// <param name="timeout">Defaults to <see cref="TestTimeouts.Default"/> (10 s).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The event object, e.g. <c>{"event":"message","text":"hello"}</c>.</returns>
    /// <exception cref="TimeoutException">
    /// No such event in time, or the driver exited first; the message lists the events seen and stderr.
    /// </exception>
    public Task<JsonElement> WaitForEventAsync(string eventName, Func<JsonElement, bool>? match = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForAsync(
            e => IsEvent(e, eventName) && (match is null || match(e)),
            $"'{eventName}' event{(match is null ? "" : " matching the condition")}",
            timeout,
            cancellationToken);

    private async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what,
        TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var limit = timeout ?? TestTimeouts.Default;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (limit != Timeout.InfiniteTimeSpan)
        {
            timeoutSource.CancelAfter(limit);
        }

        while (true)
        {
            Task changed;
            bool ended;
            lock (_lock)
            {
                for (var i = 0; i < _events.Count; i++)
                {
                    if (!_consumed[i] && match(_events[i]))
                    {
                        _consumed[i] = true;
                        return _events[i];
                    }
                }

                ended = _stdoutEnded;
                changed = _changed.Task;
            }

            if (ended)
            {
                await WaitForStandardErrorAsync().ConfigureAwait(false);
                throw new TimeoutException($"The Node driver ended without reporting the awaited {what}. {DescribeState()}");
            }

            try
            {
                await changed.WaitAsync(timeoutSource.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No {what} within {limit.TotalSeconds:0.###} s. {DescribeState()}");
            }
        }
    }

    // After stdout ends, gives the exiting driver a moment so its last stderr lines make the message.
    private async Task WaitForStandardErrorAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // Only control flow: report what there is.
        }
    }

    /// <summary>
    /// Asks the driver to exit, closes its stdin (which also makes it exit), and kills its
    /// process tree if it is still running after a few seconds.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        LiveClients.Remove(this);
        try
        {
            if (!_process.HasExited)
            {
                await RequestExitAsync().ConfigureAwait(false);
                using var grace = new CancellationTokenSource(s_exitGracePeriod);
                try
                {
                    await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Only control flow: the grace period is over, the driver is killed below.
                }
            }

            Kill();
            await _stdoutPump.WaitAsync(s_exitGracePeriod).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Only control flow: a grandchild still holds stdout open; the driver itself is gone.
        }
        finally
        {
            _exitCodeAtDisposal = _process.HasExited ? _process.ExitCode : null;
            _process.Dispose();
            _stdinLock.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"node {_description} (pid {ProcessIdOrUnknown()})";

    private async Task RequestExitAsync()
    {
        try
        {
            await SendAsync(new { op = "exit" }).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Only control flow: stdin is already closed because the driver exited.
        }

        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Only control flow: the pipe broke because the driver exited.
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(s_exitGracePeriod);
            }
        }
        catch (InvalidOperationException)
        {
            // Only control flow: the process exited between the check and the kill.
        }
    }

    private async Task PumpStandardOutputAsync()
    {
        try
        {
            var reader = _process.StandardOutput;
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                JsonElement element;
                try
                {
                    using var document = JsonDocument.Parse(line);
                    element = document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    // Keep stray output visible in failure messages instead of losing it.
                    element = JsonSerializer.SerializeToElement(new { @event = "unparsed", line });
                }

                lock (_lock)
                {
                    _events.Add(element);
                    _consumed.Add(false);
                    SignalChanged();
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                _stdoutEnded = true;
                SignalChanged();
            }
        }
    }

    // Caller holds _lock.
    private void SignalChanged()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
    }

    private static bool IsEvent(JsonElement element, string eventName) =>
        element.ValueKind == JsonValueKind.Object &&
        element.TryGetProperty("event", out var name) &&
        name.ValueKind == JsonValueKind.String &&
        name.ValueEquals(eventName);

    private string DescribeState()
    {
        var builder = new StringBuilder();
        builder.Append("Driver: ").Append(ToString());
        try
        {
            if (_process.HasExited)
            {
                builder.Append(", exited with code ").Append(_process.ExitCode);
            }
        }
        catch (InvalidOperationException)
        {
            builder.Append(", disposed");
        }

        lock (_lock)
        {
            builder.AppendLine(".").Append("Events seen (").Append(_events.Count).AppendLine(", * = already returned by a wait):");
            for (var i = 0; i < _events.Count; i++)
            {
                builder.Append(_consumed[i] ? "  * " : "    ").AppendLine(_events[i].GetRawText());
            }

            builder.Append("stderr:");
            if (_stderr.Length == 0)
            {
                builder.Append(" (empty)");
            }
            else
            {
                builder.AppendLine().Append(_stderr);
            }
        }

        return builder.ToString();
    }

    private string ProcessIdOrUnknown()
    {
        try
        {
            return _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }
}
