using System.Text;
using Microsoft.AspNetCore.Http;
using PushServer.Configuration;
using PushServer.PushApi;

namespace PushServer.Fuzzing.Targets;

/// <summary>
/// The push API's request reader. The input's first line names the endpoint and how the rest arrives:
/// <c>emit</c>, <c>join</c>, <c>leave</c>, <c>disconnect</c> (JSON bodies of <c>/api/…</c>), <c>form</c> and
/// <c>multipart</c> (POST forms to <c>/</c>), <c>query</c> (a query string to <c>/</c>); the rest is the body or query.
/// A refusal is a <see cref="PushApiException"/>, which the handler turns into a 4xx; any other exception would be a 500.
/// An input with another first line is ignored (afl-fuzz refuses a seed that reaches no instrumented code, so the
/// corpus holds none).
/// </summary>
internal static class PushBodyTarget
{
    private const string Boundary = "fuzzboundary";

    private static readonly PushApiSettings Options = new();

    public static void Run(byte[] input)
    {
        var newline = Array.IndexOf(input, (byte)'\n');
        if (newline < 0)
        {
            return;
        }
        var route = Encoding.ASCII.GetString(input, 0, newline);
        var body = input.AsMemory(newline + 1).ToArray();
        try
        {
            ReadAsync(route, body).GetAwaiter().GetResult();
        }
        catch (PushApiException ex)
        {
            Invariants.Require(!string.IsNullOrEmpty(ex.Message), "a refusal says why");
        }
    }

    private static async Task ReadAsync(string route, byte[] body)
    {
        switch (route)
        {
            case "emit":
                var emit = await PushRequestReader.ReadEmitAsync(Json(body), Options);
                Invariants.Require(!string.IsNullOrEmpty(emit.Event), "an emit names its event");
                CheckSelection(emit);
                break;
            case "join":
            case "leave":
                var change = await PushRequestReader.ReadSocketsOperationAsync(
                    Json(body), Options, route == "join" ? PushOperation.Join : PushOperation.Leave);
                Invariants.Require(change.TargetRooms.Count > 0, "a join or leave names its rooms");
                CheckSelection(change);
                break;
            case "disconnect":
                CheckSelection(await PushRequestReader.ReadSocketsOperationAsync(Json(body), Options, PushOperation.Disconnect));
                break;
            case "form":
                await PushRequestReader.ReadRootAsync(Post(body, "application/x-www-form-urlencoded"), Options);
                break;
            case "multipart":
                await PushRequestReader.ReadRootAsync(Post(body, "multipart/form-data; boundary=" + Boundary), Options);
                break;
            case "query":
                var context = new DefaultHttpContext();
                context.Request.Method = HttpMethods.Get;
                context.Request.QueryString = QueryString.FromUriComponent("?" + Encoding.UTF8.GetString(body));
                await PushRequestReader.ReadRootAsync(context, Options);
                break;
        }
    }

    private static void CheckSelection(PushRequest request) =>
        Invariants.Require(request.Namespace.StartsWith('/'), "a namespace starts with /");

    private static DefaultHttpContext Json(byte[] body) => Post(body, "application/json");

    private static DefaultHttpContext Post(byte[] body, string contentType)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = contentType;
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body, writable: false);
        return context;
    }
}
