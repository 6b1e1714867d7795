namespace PushServer.SocketIO.Redis.Streams;

/// <summary>
/// One cluster adapter message as read from the stream: the sending node, the namespace, the type and its data as
/// plain values (string-keyed dictionaries, lists, strings, numbers, booleans, bytes), whichever form it travelled in.
/// </summary>
internal sealed record ClusterMessage(string Uid, string Nsp, ClusterMessageType Type, Dictionary<string, object?>? Data)
{
    /// <summary>The <c>requestId</c> of the data, if any.</summary>
    public string? RequestId => Data?.GetValueOrDefault("requestId") as string;
}
