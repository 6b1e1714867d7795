namespace PushServer.SocketIO.Tests;

public static class TaskTimeout
{
    /// <summary>Awaits with a generous real-time limit so a broken test fails instead of hanging.</summary>
    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(TimeSpan.FromSeconds(10));

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(TimeSpan.FromSeconds(10));
}
