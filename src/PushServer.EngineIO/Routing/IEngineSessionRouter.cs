using Microsoft.AspNetCore.Http;

namespace PushServer.EngineIO.Routing;

/// <summary>
/// Lets the nodes of a cluster serve each other's sessions, so a load balancer without affinity works: a request whose
/// sid this node does not hold is served by the node that holds it instead of being refused with
/// <c>Session ID unknown</c>. Set it as <see cref="EngineIOOptions.SessionRouter"/>; <see cref="ClusterSessionRouter"/>
/// is the implementation that relays to the owning node over HTTP.
/// </summary>
public interface IEngineSessionRouter
{
    /// <summary>The id of a new session of this node: it must name this node, so the other nodes can find the owner.</summary>
    string NewSessionId();

    /// <summary>
    /// Serves <paramref name="context"/>, a request for <paramref name="sid"/>, which this node does not hold. True when
    /// the request was answered (by the owner, through this node); false leaves the refusal with <c>Session ID
    /// unknown</c> to the caller, as for a sid nobody holds. Nothing has been written to the response yet.
    /// </summary>
    Task<bool> TryServeAsync(HttpContext context, string sid, bool isUpgrade);
}
