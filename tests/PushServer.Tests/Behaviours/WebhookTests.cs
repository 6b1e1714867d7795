using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace PushServer.Tests.Behaviours;

/// <summary>Webhooks against a real local HTTP backend started by the test.</summary>
public sealed class WebhookTests : ResourceTests
{
    private const string Secret = "webhook-signing-secret";
    private WebhookBackend _backend = null!;
    private InProcessServer _server = null!;

    public override async Task InitializeAsync()
    {
        _backend = Resources.Add(await WebhookBackend.StartAsync(AnswerAsync, IsSigned));
        _server = await StartInProcessAsync(new()
        {
            ["Webhooks:Url"] = _backend.Url.ToString(),
            ["Webhooks:Events:0"] = "order",
            ["Webhooks:Secret"] = Secret,
            ["Webhooks:Lifecycle"] = "true",
            ["Webhooks:TimeoutMs"] = "3000",
        });
    }

    /// <summary>The backend records only a body signed with the secret; anything else gets 401.</summary>
    private static bool IsSigned(HttpContext context, byte[] body)
    {
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));
        if (context.Request.Headers["X-PushServer-Signature"] != expected)
        {
            context.Response.StatusCode = 401;
            return false;
        }
        return true;
    }

    /// <summary>The backend answers an order with a receipt and fails "crash".</summary>
    private static async Task AnswerAsync(HttpContext context, JsonElement json)
    {
        if (json.GetProperty("type").GetString() == "event")
        {
            if (json.GetProperty("args")[0].GetString() == "crash")
            {
                context.Response.StatusCode = 500;
                return;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"receipt":"r-{{json.GetProperty("args")[0].GetString()}}"}""");
        }
    }

    private async Task<NodeClient> ConnectAsync() => (await ConnectClientAsync(new SocketIOClientConfig(_server.SocketIOUrl) { Version = 4 })).Client;

    [Fact]
    public async Task A_forwarded_event_is_acked_with_the_backends_answer()
    {
        var client = await ConnectAsync();

        var ack = await client.EmitWithAckAsync("order", "pizza");

        Assert.Equal("r-pizza", ack[0].GetProperty("receipt").GetString());
        var report = await _backend.ReportAsync("event");
        Assert.Equal("order", report.GetProperty("event").GetString());
        Assert.Equal("pizza", report.GetProperty("args")[0].GetString());
    }

    [Fact]
    public async Task A_failing_backend_gets_the_client_an_error_ack()
    {
        var client = await ConnectAsync();

        var ack = await client.EmitWithAckAsync("order", "crash");

        Assert.Equal("webhook_failed", ack[0].GetProperty("error").GetString());
    }

    [Fact]
    public async Task Connects_and_disconnects_are_reported_signed()
    {
        var client = await ConnectAsync();
        var id = client.Events.First(e => e.GetProperty("event").GetString() == "connect").GetProperty("id").GetString();

        Assert.Equal(id, (await _backend.ReportAsync("connect")).GetProperty("socketId").GetString());
        await client.DisconnectAsync();
        var disconnect = await _backend.ReportAsync("disconnect");
        Assert.Equal(id, disconnect.GetProperty("socketId").GetString());
        Assert.Equal("client namespace disconnect", disconnect.GetProperty("reason").GetString());
    }
}
