namespace PushServer.Configuration;

/// <summary>Redis adapter (section <c>Redis</c>). Reserved: the adapter is not yet supported.</summary>
internal sealed class RedisOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Redis";

    /// <summary>A <c>redis://</c> or <c>rediss://</c> URL; empty runs single-node.</summary>
    public string Url { get; set; } = "";
}
