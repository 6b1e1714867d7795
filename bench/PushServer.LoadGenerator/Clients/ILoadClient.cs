namespace PushServer.LoadGenerator.Clients;

/// <summary>One simulated Socket.IO client on namespace <c>/</c>.</summary>
internal interface ILoadClient : IAsyncDisposable
{
    /// <summary>Emits <c>echo</c> with an ack request carrying <paramref name="ackId"/>.</summary>
    ValueTask SendEchoAsync(long ackId, CancellationToken cancellationToken);
}
