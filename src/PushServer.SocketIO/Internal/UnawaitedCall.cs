namespace PushServer.SocketIO.Internal;

/// <summary>
/// Calls code that returns a <see cref="ValueTask"/> (an application's handler, an adapter's init) without waiting for
/// it, and hands its failure, thrown at once or later, to <c>onFailure</c>, so none goes unobserved. The state and a
/// static <c>onFailure</c> keep the common case, a call that completes at once, free of allocations.
/// </summary>
internal static class UnawaitedCall
{
    public static void Start<TArg, TState>(Func<TArg, ValueTask> call, TArg arg, TState state, Action<TState, Exception> onFailure)
    {
        try
        {
            var pending = call(arg);
            if (!pending.IsCompletedSuccessfully)
            {
                _ = ObserveAsync(pending, state, onFailure);
            }
        }
        catch (Exception ex)
        {
            onFailure(state, ex);
        }
    }

    private static async Task ObserveAsync<TState>(ValueTask pending, TState state, Action<TState, Exception> onFailure)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            onFailure(state, ex);
        }
    }
}
