namespace PushServer.EngineIO.Transports;

/// <summary>What a session needs from the transport currently carrying it.</summary>
internal interface ISessionTransport
{
    /// <summary><c>polling</c> or <c>websocket</c>, as in the <c>transport</c> query parameter.</summary>
    string Name { get; }

    /// <summary>Whether a packet queued now would be written at once (socket.io's <c>writable</c>, used by volatile sends).</summary>
    bool IsWritableNow { get; }

    /// <summary>
    /// The outbound queue has packets, or was completed: wake the writer, where <paramref name="mode"/> says. Only a
    /// caller on a thread of its own (the heartbeat) asks for anything but the thread pool.
    /// </summary>
    void OnQueueSignal(SendMode mode = SendMode.QueueToThreadPool);

    /// <summary>The session closed; let the transport end its requests or its socket.</summary>
    void OnSessionClosed();

    /// <summary>The client stopped reading: release the connection now, without delivering anything more.</summary>
    void Drop();
}
