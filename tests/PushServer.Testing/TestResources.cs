namespace PushServer.Testing;

/// <summary>
/// What a test started (servers, client processes, frozen processes to resume), disposed when the test ends, also when
/// it failed: in reverse order of adding, so clients go before the server they talk to, except what was added with
/// <see cref="AddDisposedLast"/>. Every item is disposed even when one throws; the first failure is rethrown.
/// </summary>
public sealed class TestResources : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _items = [];

    /// <summary>Adds <paramref name="item"/>, disposed before everything added earlier.</summary>
    public T Add<T>(T item) where T : IAsyncDisposable
    {
        _items.Add(item);
        return item;
    }

    /// <summary>Adds <paramref name="item"/>, disposed after everything else: a server whose clients must stop first.</summary>
    public T AddDisposedLast<T>(T item) where T : IAsyncDisposable
    {
        _items.Insert(0, item);
        return item;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Exception? first = null;
        for (var i = _items.Count - 1; i >= 0; i--)
        {
            try
            {
                await _items[i].DisposeAsync();
            }
            catch (Exception ex)
            {
                first ??= ex;
            }
        }
        _items.Clear();
        if (first is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }
}
