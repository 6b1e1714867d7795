namespace PushServer.SocketIO.Adapters;

/// <summary>
/// A first-in, first-out buffer over one array: appending, dropping the oldest and reading by position from the
/// oldest are O(1), and the array is only as large as asked (<see cref="Resize"/>), so its owner can count it.
/// </summary>
internal sealed class EventRing<T>
{
    private T[] _items = [];
    private int _head;

    /// <summary>Items held.</summary>
    public int Count { get; private set; }

    /// <summary>Length of the array behind the ring.</summary>
    public int Capacity => _items.Length;

    /// <summary>The item <paramref name="index"/> places after the oldest.</summary>
    public ref readonly T this[int index]
    {
        get
        {
            var at = _head + index;
            return ref _items[at < _items.Length ? at : at - _items.Length];
        }
    }

    /// <summary>Appends <paramref name="item"/>; the caller has made room (<see cref="Count"/> below <see cref="Capacity"/>).</summary>
    public void Add(in T item)
    {
        var at = _head + Count;
        _items[at < _items.Length ? at : at - _items.Length] = item;
        Count++;
    }

    /// <summary>Drops the oldest item, clearing its slot so that nothing it referenced stays reachable.</summary>
    public void RemoveOldest()
    {
        _items[_head] = default!;
        _head = _head + 1 == _items.Length ? 0 : _head + 1;
        Count--;
    }

    /// <summary>Moves the items, oldest first, to an array of <paramref name="capacity"/> (at least <see cref="Count"/>).</summary>
    public void Resize(int capacity)
    {
        var items = new T[capacity];
        for (var i = 0; i < Count; i++)
        {
            items[i] = this[i];
        }
        _items = items;
        _head = 0;
    }
}
