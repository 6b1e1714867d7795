namespace PushServer.AdminUi;

/// <summary>
/// Session ids handed to UIs that logged in, so a reconnecting UI is not asked for the password again (instrument()'s
/// InMemoryStore). Bounded: every successful login adds one, and a UI that logs in over and over must not grow memory;
/// the oldest is forgotten first, which only costs that UI a new login.
/// </summary>
internal sealed class AdminUiSessionStore
{
    private const int MaxSessions = 1024;

    private readonly Lock _lock = new();
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public bool Contains(string id)
    {
        lock (_lock)
        {
            return _ids.Contains(id);
        }
    }

    /// <summary>Creates and remembers a new random session id.</summary>
    public string Create()
    {
        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        lock (_lock)
        {
            if (_order.Count >= MaxSessions)
            {
                _ids.Remove(_order.Dequeue());
            }
            _ids.Add(id);
            _order.Enqueue(id);
        }
        return id;
    }
}
