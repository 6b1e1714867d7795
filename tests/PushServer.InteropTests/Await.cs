namespace PushServer.InteropTests;

/// <summary>Turns callback-style client events into awaitable values, with a generous timeout.</summary>
public sealed class Await<T>
{
    private readonly TaskCompletionSource<T> _source = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set(T value) => _source.TrySetResult(value);

    public Task<T> Task => _source.Task.WaitAsync(TimeSpan.FromSeconds(15));
}
