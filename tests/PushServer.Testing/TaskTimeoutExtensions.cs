using System.Runtime.CompilerServices;

namespace PushServer.Testing;

/// <summary>
/// <c>.DefaultTimeout()</c> for awaited tasks, as in SignalR's tests: a test never
/// waits forever, and the failure names the line that waited.
/// </summary>
/// <example>
/// <code>
/// var connected = new TaskCompletionSource();
/// // ... arrange for connected.SetResult() ...
/// await connected.Task.DefaultTimeout();
/// </code>
/// </example>
public static class TaskTimeoutExtensions
{
    /// <summary>Waits for <paramref name="task"/>, failing after <paramref name="timeout"/> (default <see cref="TestTimeouts.Default"/>).</summary>
    public static async Task DefaultTimeout(this Task task, TimeSpan? timeout = null,
        [CallerFilePath] string? filePath = null, [CallerLineNumber] int lineNumber = 0)
    {
        var limit = timeout ?? TestTimeouts.Default;
        try
        {
            await task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException(Describe(limit, filePath, lineNumber));
        }
    }

    /// <summary>Waits for <paramref name="task"/> and returns its result, failing after <paramref name="timeout"/> (default <see cref="TestTimeouts.Default"/>).</summary>
    public static async Task<T> DefaultTimeout<T>(this Task<T> task, TimeSpan? timeout = null,
        [CallerFilePath] string? filePath = null, [CallerLineNumber] int lineNumber = 0)
    {
        var limit = timeout ?? TestTimeouts.Default;
        try
        {
            return await task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException(Describe(limit, filePath, lineNumber));
        }
    }

    /// <summary>Waits for <paramref name="task"/>, failing after <paramref name="timeout"/> (default <see cref="TestTimeouts.Default"/>).</summary>
    public static Task DefaultTimeout(this ValueTask task, TimeSpan? timeout = null,
        [CallerFilePath] string? filePath = null, [CallerLineNumber] int lineNumber = 0) =>
        task.AsTask().DefaultTimeout(timeout, filePath, lineNumber);

    /// <summary>Waits for <paramref name="task"/> and returns its result, failing after <paramref name="timeout"/> (default <see cref="TestTimeouts.Default"/>).</summary>
    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task, TimeSpan? timeout = null,
        [CallerFilePath] string? filePath = null, [CallerLineNumber] int lineNumber = 0) =>
        task.AsTask().DefaultTimeout(timeout, filePath, lineNumber);

    private static string Describe(TimeSpan limit, string? filePath, int lineNumber) =>
        $"The operation at {Path.GetFileName(filePath)}:{lineNumber} timed out after {limit.TotalSeconds:0.###} s.";
}
