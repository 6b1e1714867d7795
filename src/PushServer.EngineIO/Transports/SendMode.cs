namespace PushServer.EngineIO.Transports;

/// <summary>
/// Where the session asks the transport to write what a send just queued. The session passes it with each queue signal
/// (see <see cref="ISessionTransport.OnQueueSignal"/>): the WebSocket transport writes there, and a waiting poll is
/// answered there.
/// </summary>
internal enum SendMode
{
    /// <summary>
    /// A writer is started on the thread pool: the caller may be a broadcast going over thousands of sessions, and
    /// must not wait for any one socket.
    /// </summary>
    QueueToThreadPool,

    /// <summary>
    /// The caller sends from a thread of its own, such as the heartbeat timer or a broadcast's fan-out slice
    /// (<see cref="EngineFanOut"/>): the write is made right there (tried
    /// without blocking, see <see cref="ConnectionLevelWebSockets.SocketStream"/>) instead of by a thread-pool work item. On an idle server
    /// every heartbeat would otherwise wake a pool thread for one small write, which costs far more than it.
    /// </summary>
    WriteOnCallingThread,
}
