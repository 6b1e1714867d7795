using System.Collections.Concurrent;
using System.Threading.Channels;

namespace PushServer.EngineIO.Tests;

/// <summary>What the handler saw, in order.</summary>
public abstract record EngineEvent(IEngineSession Session);

public sealed record Opened(IEngineSession Session) : EngineEvent(Session);

public sealed record TextReceived(IEngineSession Session, string Text) : EngineEvent(Session);

public sealed record BinaryReceived(IEngineSession Session, byte[] Data) : EngineEvent(Session);

public sealed record Closed(IEngineSession Session, EngineCloseReason Reason) : EngineEvent(Session);

public sealed record Upgraded(IEngineSession Session, string TransportName) : EngineEvent(Session);

/// <summary>An <see cref="IEngineConnectionHandler"/> that records every call and can echo messages back.</summary>
public sealed class RecordingHandler : IEngineConnectionHandler
{
    private readonly Channel<EngineEvent> _events = Channel.CreateUnbounded<EngineEvent>();
    private readonly List<EngineEvent> _seen = new();

    public ConcurrentDictionary<string, IEngineSession> Sessions { get; } = new();

    public ConcurrentDictionary<string, int> CloseCounts { get; } = new();

    /// <summary>When true, every message is sent straight back (text as text, binary as binary).</summary>
    public bool Echo { get; set; }

    public ValueTask OnOpenedAsync(IEngineSession session)
    {
        Sessions[session.Id] = session;
        _events.Writer.TryWrite(new Opened(session));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnTextAsync(IEngineSession session, ReadOnlyMemory<byte> utf8)
    {
        if (Echo)
        {
            session.Send(EnginePacket.Text(utf8.Span));
        }
        _events.Writer.TryWrite(new TextReceived(session, Encoding.UTF8.GetString(utf8.Span)));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnBinaryAsync(IEngineSession session, ReadOnlyMemory<byte> data)
    {
        if (Echo)
        {
            session.Send(EnginePacket.Binary(data.Span));
        }
        _events.Writer.TryWrite(new BinaryReceived(session, data.ToArray()));
        return ValueTask.CompletedTask;
    }

    public void OnClosed(IEngineSession session, EngineCloseReason reason)
    {
        CloseCounts.AddOrUpdate(session.Id, 1, (_, n) => n + 1);
        _events.Writer.TryWrite(new Closed(session, reason));
    }

    public void OnUpgraded(IEngineSession session) => _events.Writer.TryWrite(new Upgraded(session, session.TransportName));

    /// <summary>Waits for the next event of type <typeparamref name="T"/> matching <paramref name="match"/>, skipping others.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool>? match = null, TimeSpan? timeout = null) where T : EngineEvent
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            lock (_seen)
            {
                var earlier = _seen.OfType<T>().FirstOrDefault(e => match?.Invoke(e) ?? true);
                if (earlier is not null)
                {
                    _seen.Remove(earlier);
                    return earlier;
                }
            }
            while (true)
            {
                var next = await _events.Reader.ReadAsync(cts.Token);
                if (next is T typed && (match?.Invoke(typed) ?? true))
                {
                    return typed;
                }
                lock (_seen)
                {
                    _seen.Add(next);
                }
            }
        }
        catch (OperationCanceledException)
        {
            string seen;
            lock (_seen)
            {
                seen = string.Join(", ", _seen);
            }
            throw new TimeoutException($"No {typeof(T).Name} within the timeout. Seen meanwhile: {seen}");
        }
    }
}
