namespace PushServer.SocketIO.Internal;

/// <summary>
/// A cancellation signal whose <see cref="CancellationTokenSource"/> exists only once someone asks for the token.
/// Every connection and socket has one, and most are never observed: allocating the source up front cost about a
/// hundred bytes per idle connection. Keep it in a mutable (non-readonly) field.
/// </summary>
internal struct LazyCancellation
{
    private CancellationTokenSource? _source;
    private int _cancelled;

    /// <summary>True once <see cref="Cancel"/> ran.</summary>
    public readonly bool IsCancellationRequested => Volatile.Read(in _cancelled) == 1;

    /// <summary>The token: already cancelled after <see cref="Cancel"/>, else one from a source made now if needed.</summary>
    public CancellationToken GetToken()
    {
        if (Volatile.Read(ref _cancelled) == 1)
        {
            return new CancellationToken(canceled: true);
        }
        var source = Volatile.Read(ref _source);
        if (source is null)
        {
            var created = new CancellationTokenSource();
            source = Interlocked.CompareExchange(ref _source, created, null) ?? created;
        }
        // Cancel may have run between the first check and the publication of the source: it then missed it.
        if (Volatile.Read(ref _cancelled) == 1)
        {
            source.Cancel();
        }
        return source.Token;
    }

    /// <summary>Cancels the token, once.</summary>
    public void Cancel()
    {
        if (Interlocked.Exchange(ref _cancelled, 1) == 1)
        {
            return;
        }
        Volatile.Read(ref _source)?.Cancel();
    }
}
