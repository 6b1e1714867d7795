using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace PushServer.Hosting;

/// <summary>
/// Routing sees only the endpoints of the listener a request came in on, so both ports can own the same path:
/// <c>/</c> is the demo page on the Socket.IO port and <c>GET /?msg=</c> on the push port.
/// </summary>
internal sealed class ListenerRoleMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    /// <inheritdoc />
    public override int Order => 0;

    /// <inheritdoc />
    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<ListenerRoleMetadata>() is not null);

    /// <inheritdoc />
    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var role = ListenerTag.Of(httpContext);
        for (var i = 0; i < candidates.Count; i++)
        {
            var owner = candidates[i].Endpoint.Metadata.GetMetadata<ListenerRoleMetadata>();
            if (owner is not null && owner.Role != role)
            {
                candidates.SetValidity(i, false);
            }
        }
        return Task.CompletedTask;
    }
}
