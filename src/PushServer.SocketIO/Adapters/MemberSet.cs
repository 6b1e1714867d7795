namespace PushServer.SocketIO.Adapters;

/// <summary>
/// A set of socket ids or room names that costs nothing of its own while it holds a single one: it is then that
/// string, and becomes a <see cref="HashSet{T}"/> only with a second. Every socket is in the room of its own id, and
/// most sockets in that room only, so the adapter's two maps hold mostly single members. A mutable struct: keep it in
/// place (a dictionary value reached by reference), not in copies that are then changed.
/// </summary>
internal struct MemberSet
{
    // null (empty), a string (one member) or a HashSet<string> (several).
    private object? _items;

    public readonly int Count => _items switch
    {
        null => 0,
        string => 1,
        _ => ((HashSet<string>)_items).Count,
    };

    public readonly bool Contains(string item) => _items switch
    {
        null => false,
        string one => one == item,
        _ => ((HashSet<string>)_items).Contains(item),
    };

    /// <summary>Adds <paramref name="item"/>; false when it was there already.</summary>
    public bool Add(string item)
    {
        switch (_items)
        {
            case null:
                _items = item;
                return true;
            case string one:
                if (one == item)
                {
                    return false;
                }
                _items = new HashSet<string>(StringComparer.Ordinal) { one, item };
                return true;
            default:
                return ((HashSet<string>)_items).Add(item);
        }
    }

    /// <summary>Removes <paramref name="item"/>; false when it was not there. A set left with one member shrinks back.</summary>
    public bool Remove(string item)
    {
        switch (_items)
        {
            case null:
                return false;
            case string one:
                if (one != item)
                {
                    return false;
                }
                _items = null;
                return true;
            default:
                var set = (HashSet<string>)_items;
                if (!set.Remove(item))
                {
                    return false;
                }
                if (set.Count == 1)
                {
                    foreach (var last in set)
                    {
                        _items = last;
                    }
                }
                return true;
        }
    }

    /// <summary>Adds every member to <paramref name="target"/>.</summary>
    public readonly void CopyTo(HashSet<string> target)
    {
        foreach (var item in this)
        {
            target.Add(item);
        }
    }

    public readonly Enumerator GetEnumerator() => new(_items);

    /// <summary>Enumerates without allocating, whichever form the set has.</summary>
    public struct Enumerator
    {
        private readonly string? _single;
        private HashSet<string>.Enumerator _set;
        private readonly bool _isSet;
        private bool _started;

        internal Enumerator(object? items)
        {
            _single = items as string;
            _isSet = items is HashSet<string>;
            _set = _isSet ? ((HashSet<string>)items!).GetEnumerator() : default;
            _started = false;
            Current = "";
        }

        public string Current { get; private set; }

        public bool MoveNext()
        {
            if (_isSet)
            {
                if (!_set.MoveNext())
                {
                    return false;
                }
                Current = _set.Current;
                return true;
            }
            if (_started || _single is null)
            {
                return false;
            }
            _started = true;
            Current = _single;
            return true;
        }
    }
}
