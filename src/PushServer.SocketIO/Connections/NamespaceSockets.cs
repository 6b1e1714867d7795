namespace PushServer.SocketIO;

/// <summary>
/// A connection's sockets by namespace. Nearly every connection joins one namespace only, so the first is kept in
/// two fields and a dictionary is made only for a second. Not thread-safe: the connection locks around it. A mutable
/// struct, kept in a field and changed in place.
/// </summary>
internal struct NamespaceSockets
{
    private string? _firstName;
    private SocketIOSocket? _first;
    private Dictionary<string, SocketIOSocket>? _others;

    public readonly bool IsEmpty => _first is null && (_others is null || _others.Count == 0);

    public readonly SocketIOSocket? Get(string nsp) =>
        _first is not null && _firstName == nsp ? _first
        : _others is not null && _others.TryGetValue(nsp, out var socket) ? socket
        : null;

    public void Set(string nsp, SocketIOSocket socket)
    {
        if (_first is null || _firstName == nsp)
        {
            _firstName = nsp;
            _first = socket;
            return;
        }
        (_others ??= new Dictionary<string, SocketIOSocket>(StringComparer.Ordinal))[nsp] = socket;
    }

    /// <summary>Removes <paramref name="socket"/> if it is still the one of <paramref name="nsp"/>.</summary>
    public void Remove(string nsp, SocketIOSocket socket)
    {
        if (ReferenceEquals(_first, socket) && _firstName == nsp)
        {
            _first = null;
            _firstName = null;
            return;
        }
        if (_others is not null && _others.TryGetValue(nsp, out var current) && ReferenceEquals(current, socket))
        {
            _others.Remove(nsp);
        }
    }

    /// <summary>Every socket, and empties the set.</summary>
    public SocketIOSocket[] TakeAll()
    {
        var all = ToArray();
        this = default;
        return all;
    }

    /// <summary>Every socket; the set stays as it is.</summary>
    public readonly SocketIOSocket[] ToArray()
    {
        var all = new List<SocketIOSocket>(1 + (_others?.Count ?? 0));
        if (_first is not null)
        {
            all.Add(_first);
        }
        if (_others is not null)
        {
            all.AddRange(_others.Values);
        }
        return [.. all];
    }
}
