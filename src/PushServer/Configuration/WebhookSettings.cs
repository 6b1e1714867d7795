namespace PushServer.Configuration;

/// <summary>
/// Webhooks to the backend (section <c>Webhooks</c>): selected client events are POSTed and the answer becomes the
/// client's ack; optionally, connects and disconnects are reported too.
/// </summary>
internal sealed class WebhookSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Webhooks";

    /// <summary>The backend URL every webhook is POSTed to; empty switches webhooks off.</summary>
    public string Url { get; set; } = "";

    /// <summary>Client events forwarded to the backend (on <c>/</c>); the backend's JSON answer is the client's ack.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>How long the backend has to answer an event webhook, in ms; the client then gets an error ack.</summary>
    public int TimeoutMs { get; set; } = 5000;

    /// <summary>
    /// The HMAC-SHA256 key signing every body (<c>X-PushServer-Signature: sha256=&lt;hex&gt;</c>), so the backend can
    /// tell the server's calls from anyone else's. Masked by <c>config print</c>.
    /// </summary>
    public string Secret { get; set; } = "";

    /// <summary>Whether connects and disconnects (with the reason) are reported, at least once and possibly late.</summary>
    public bool Lifecycle { get; set; }

    /// <summary>Tries per lifecycle webhook before it is given up (and logged), with doubling delays from 0.5 s.</summary>
    public int MaxAttempts { get; set; } = 5;
}
