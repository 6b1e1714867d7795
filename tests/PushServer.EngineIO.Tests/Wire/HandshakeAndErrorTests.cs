using System.Text.Json;

namespace PushServer.EngineIO.Tests.Wire;

public class HandshakeAndErrorTests
{
    [Fact]
    public async Task Polling_handshake_v4_sends_the_open_packet_with_the_reference_keys_in_order()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (status, body, response) = await host.GetAsync("EIO=4&transport=polling");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/plain; charset=UTF-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Matches("^0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[\"websocket\"\\],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000\\}$", body);
    }

    [Fact]
    public async Task Polling_handshake_v3_is_length_prefixed_in_UTF16_units()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (_, body, _) = await host.GetAsync("EIO=3&transport=polling");

        var colon = body.IndexOf(':');
        Assert.Equal(body.Length - colon - 1, int.Parse(body[..colon]));
        Assert.StartsWith("0{\"sid\":", body[(colon + 1)..]);
    }

    [Fact]
    public async Task Missing_EIO_is_treated_as_v3_like_the_reference()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (status, body, _) = await host.GetAsync("transport=polling");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Matches("^\\d+:0\\{", body);
    }

    [Fact]
    public async Task Jsonp_handshake_wraps_the_payload_in_the_numbered_callback()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (_, body, _) = await host.GetAsync("EIO=3&transport=polling&j=4");
        Assert.Matches("^___eio\\[4\\]\\(\"\\d+:0\\{.*\"\\);$", body);
    }

    [Fact]
    public async Task WebSocket_handshake_sends_the_open_packet_as_the_first_text_frame_with_no_upgrades()
    {
        await using var host = await EngineTestHost.StartAsync();
        using var ws = await host.ConnectWebSocketAsync("EIO=4&transport=websocket");

        var open = await Frames.ReceiveTextAsync(ws);

        Assert.StartsWith("0{\"sid\":\"", open);
        using var json = JsonDocument.Parse(open[1..]);
        Assert.Equal(0, json.RootElement.GetProperty("upgrades").GetArrayLength());
        Assert.Equal("websocket", (await host.Handler.WaitForAsync<Opened>()).Session.TransportName);
    }

    [Theory]
    [InlineData("EIO=4&transport=abc", 0, "Transport unknown")]
    [InlineData("EIO=4", 0, "Transport unknown")]
    [InlineData("EIO=4&transport=__proto__", 0, "Transport unknown")]
    [InlineData("EIO=4&transport=polling&sid=doesnotexist", 1, "Session ID unknown")]
    [InlineData("EIO=4&transport=websocket", 3, "Bad request")]
    public async Task Bad_requests_get_the_reference_error_bodies(string query, int code, string message)
    {
        await using var host = await EngineTestHost.StartAsync();
        var (status, body, response) = await host.GetAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"{{\"code\":{code},\"message\":\"{message}\"}}", body);
    }

    [Fact]
    public async Task A_handshake_that_is_not_a_GET_is_refused_with_code_2()
    {
        await using var host = await EngineTestHost.StartAsync();
        var (status, body) = await host.PostAsync("EIO=4&transport=polling", "4hello");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("{\"code\":2,\"message\":\"Bad handshake method\"}", body);
    }

    [Fact]
    public async Task Engine_IO_v3_is_refused_with_code_5_when_disabled()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.AllowEIO3 = false);
        var (status, body, _) = await host.GetAsync("EIO=3&transport=polling");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("{\"code\":5,\"message\":\"Unsupported protocol version\"}", body);
    }

    [Fact]
    public async Task AllowRequest_refusal_answers_403_with_code_4_and_its_message()
    {
        await using var host = await EngineTestHost.StartAsync(o =>
            o.AllowRequest = ctx => ValueTask.FromResult(ctx.Request.Query.ContainsKey("token") ? AllowRequestResult.Allow : AllowRequestResult.Deny("denied by policy")));

        var (status, body, _) = await host.GetAsync("EIO=4&transport=polling");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("{\"code\":4,\"message\":\"denied by policy\"}", body);

        var (allowedStatus, _, _) = await host.GetAsync("EIO=4&transport=polling&token=1");
        Assert.Equal(HttpStatusCode.OK, allowedStatus);
    }

    [Fact]
    public async Task A_disabled_transport_is_unknown()
    {
        await using var host = await EngineTestHost.StartAsync(o => o.Transports = EngineTransports.WebSocket);
        var (status, body, _) = await host.GetAsync("EIO=4&transport=polling");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("{\"code\":0,\"message\":\"Transport unknown\"}", body);
    }

    [Fact]
    public async Task A_bad_WebSocket_upgrade_gets_400_with_the_bare_message()
    {
        await using var host = await EngineTestHost.StartAsync();
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(host.WebSocketUri("EIO=4&transport=websocket&sid=nope"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.BadRequest, ws.HttpStatusCode);
    }

    [Fact]
    public async Task The_path_without_its_trailing_slash_is_not_served()
    {
        await using var host = await EngineTestHost.StartAsync();
        var response = await host.Http.GetAsync("engine.io?EIO=4&transport=polling");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_polling_request_on_a_websocket_session_is_a_transport_mismatch()
    {
        await using var host = await EngineTestHost.StartAsync();
        using var ws = await host.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = (await host.Handler.WaitForAsync<Opened>()).Session.Id;

        var (status, body, _) = await host.GetAsync($"EIO=4&transport=polling&sid={sid}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("{\"code\":3,\"message\":\"Bad request\"}", body);
    }

    [Fact]
    public async Task Other_methods_on_a_known_session_get_500()
    {
        await using var host = await EngineTestHost.StartAsync();
        var sid = await host.OpenPollingAsync();
        var response = await host.Http.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"engine.io/?EIO=4&transport=polling&sid={sid}"));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }
}
