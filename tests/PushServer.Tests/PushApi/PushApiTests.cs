using Microsoft.Extensions.DependencyInjection;
using PushServer.Hosting;

namespace PushServer.Tests.PushApi;

public sealed class PushApiTests : ResourceTests
{
    private InProcessServer _server = null!;
    private HttpClient _push = null!;

    public override async Task InitializeAsync()
    {
        _server = await StartInProcessAsync(new() { ["SocketIO:Namespaces:0"] = "/chat" });
        _push = _server.PushClient();
    }

    public override async Task DisposeAsync()
    {
        _push.Dispose();
        await base.DisposeAsync();
    }

    private async Task<RawSocketIOClient> ConnectAsync() => Resources.Add(await RawSocketIOClient.ConnectAsync(_server.SocketIOUri));

    private async Task JoinAsync(RawSocketIOClient client, string room)
    {
        using var response = await _push.PostAsJsonAsync("api/sockets/join", new { socketId = client.Id, targetRooms = new[] { room } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sockets").GetInt32());
    }

    /// <summary>Sends a marker to everyone; a client whose next event is the marker received nothing before it.</summary>
    private async Task AssertNothingBeforeMarkerAsync(RawSocketIOClient client)
    {
        Assert.Equal("ok", await _push.GetStringAsync("?msg=marker"));
        var next = await client.NextEventAsync();
        Assert.Equal("""["chat message","marker"]""", next.GetRawText());
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Get_msg_emits_chat_message_to_every_client_and_answers_ok()
    {
        var a = await ConnectAsync();
        var b = await ConnectAsync();

        using var response = await _push.GetAsync("?msg=hello%20world");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal("""["chat message","hello world"]""", (await a.NextEventAsync()).GetRawText());
        Assert.Equal("""["chat message","hello world"]""", (await b.NextEventAsync()).GetRawText());
    }

    [Fact]
    public async Task Pushes_to_more_clients_than_the_fan_out_minimum_reach_every_client_in_order()
    {
        // Enough clients for a broadcast to be written by fan-out slices rather than a writer per client.
        var clients = new List<RawSocketIOClient>();
        for (var i = 0; i < PushServer.EngineIO.EngineFanOut.MinimumRecipients + 16; i++)
        {
            clients.Add(await ConnectAsync());
        }

        for (var n = 0; n < 10; n++)
        {
            Assert.Equal("ok", await _push.GetStringAsync($"?msg={n}"));
        }

        foreach (var client in clients)
        {
            for (var n = 0; n < 10; n++)
            {
                Assert.Equal($$"""["chat message","{{n}}"]""", (await client.NextEventAsync()).GetRawText());
            }
        }
    }

    [Fact]
    public async Task Get_without_msg_answers_400_with_a_json_error()
    {
        using var response = await _push.GetAsync("?other=1");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "missing_parameter");
    }

    [Fact]
    public async Task Publish_form_reaches_only_the_users_room_with_its_content_escaped()
    {
        var user = await ConnectAsync();
        var other = await ConnectAsync();
        await JoinAsync(user, "uid:42");

        using var response = await _push.PostAsync("", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["type"] = "publish", ["to"] = "42", ["content"] = "<b>hi</b>",
        }));

        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        var received = await user.NextEventAsync();
        Assert.Equal("new_msg", received[0].GetString());
        Assert.Equal("&lt;b&gt;hi&lt;/b&gt;", received[1].GetString());
        await AssertNothingBeforeMarkerAsync(other);
    }

    [Fact]
    public async Task Publish_form_sent_as_multipart_like_php_curl_reaches_the_user()
    {
        var user = await ConnectAsync();
        await JoinAsync(user, "uid:7");
        using var form = new MultipartFormDataContent
        {
            { new StringContent("publish"), "type" },
            { new StringContent("7"), "to" },
            { new StringContent("plain"), "content" },
        };

        using var response = await _push.PostAsync("", form);

        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal("""["new_msg","plain"]""", (await user.NextEventAsync()).GetRawText());
    }

    [Fact]
    public async Task Publish_form_to_a_user_nobody_is_connected_as_answers_offline()
    {
        await ConnectAsync();
        Assert.Equal("offline", await _push.GetStringAsync("?type=publish&to=nobody&content=x"));
    }

    [Fact]
    public async Task Publish_form_without_to_reaches_everyone_and_answers_ok()
    {
        var a = await ConnectAsync();
        Assert.Equal("ok", await _push.GetStringAsync("?type=publish&content=all"));
        Assert.Equal("""["new_msg","all"]""", (await a.NextEventAsync()).GetRawText());
    }

    [Fact]
    public async Task Publish_form_escapes_like_phps_htmlspecialchars_leaving_other_text_as_sent()
    {
        var a = await ConnectAsync();
        var content = "é 中文 😀 'q' \"d\" & <i>";

        Assert.Equal("ok", await _push.GetStringAsync("?type=publish&content=" + Uri.EscapeDataString(content)));

        Assert.Equal("é 中文 😀 &#039;q&#039; &quot;d&quot; &amp; &lt;i&gt;", (await a.NextEventAsync())[1].GetString());
    }

    [Fact]
    public async Task Form_with_another_type_answers_fail()
    {
        Assert.Equal("fail", await _push.GetStringAsync("?type=subscribe&content=x"));
    }

    [Fact]
    public async Task Emit_reaches_the_room_minus_the_excepted_socket_and_returns_every_ack()
    {
        var first = await ConnectAsync();
        var excepted = await ConnectAsync();
        var outsider = await ConnectAsync();
        var second = await ConnectAsync();
        first.AckValue = "from first";
        second.AckValue = new { n = 2 };
        await JoinAsync(first, "news");
        await JoinAsync(excepted, "news");
        await JoinAsync(second, "news");

        using var response = await _push.PostAsJsonAsync("api/emit", new
        {
            @event = "headline",
            args = new object[] { "rates", 2 },
            rooms = new[] { "news" },
            except = new[] { excepted.Id },
            ackTimeoutMs = 10_000,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, body.GetProperty("recipients").GetInt32());
        Assert.False(body.GetProperty("ackTimedOut").GetBoolean());
        var acks = body.GetProperty("acks").EnumerateArray().Select(a => a.GetRawText()).Order().ToArray();
        Assert.Equal(["\"from first\"", """{"n":2}"""], acks);
        Assert.Equal("""["headline","rates",2]""", (await first.NextEventAsync()).GetRawText());
        Assert.Equal("""["headline","rates",2]""", (await second.NextEventAsync()).GetRawText());
        await AssertNothingBeforeMarkerAsync(excepted);
        await AssertNothingBeforeMarkerAsync(outsider);
    }

    [Fact]
    public async Task Emit_to_one_socket_with_data_sends_that_single_argument()
    {
        var target = await ConnectAsync();
        var other = await ConnectAsync();

        using var response = await _push.PostAsJsonAsync("api/emit", new { @event = "private", data = new { x = 1 }, socketId = target.Id });

        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recipients").GetInt32());
        Assert.Equal("""["private",{"x":1}]""", (await target.NextEventAsync()).GetRawText());
        await AssertNothingBeforeMarkerAsync(other);
    }

    [Fact]
    public async Task Emit_whose_acks_do_not_all_arrive_reports_the_timeout_with_the_acks_received()
    {
        var silent = await ConnectAsync();
        silent.AnswerAcks = false;

        using var response = await _push.PostAsJsonAsync("api/emit", new { @event = "ping me", ackTimeoutMs = 200 });

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("ackTimedOut").GetBoolean());
        Assert.Equal(1, body.GetProperty("recipients").GetInt32());
        Assert.Equal(0, body.GetProperty("acks").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"event":"connect"}""", HttpStatusCode.BadRequest, "reserved_event")]
    [InlineData("""{"event":"disconnecting"}""", HttpStatusCode.BadRequest, "reserved_event")]
    [InlineData("""{"event":"newListener"}""", HttpStatusCode.BadRequest, "reserved_event")]
    [InlineData("""{"event":"x","namespace":"/nowhere"}""", HttpStatusCode.NotFound, "unknown_namespace")]
    [InlineData("""{"event":"x","args":[1],"data":1}""", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("""{"event":"x","args":1}""", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("""{"event":"x","rooms":[1]}""", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("""{"event":"x","ackTimeoutMs":-5}""", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("""{"event":""}""", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("""{"args":[]}""", HttpStatusCode.BadRequest, "missing_parameter")]
    [InlineData("""[1,2]""", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("""{"event":""", HttpStatusCode.BadRequest, "invalid_json")]
    public async Task Emit_refuses_a_bad_request_with_a_json_error(string json, HttpStatusCode status, string code)
    {
        using var response = await _push.PostAsync("api/emit", new StringContent(json, Encoding.UTF8, "application/json"));
        await AssertErrorAsync(response, status, code);
    }

    [Fact]
    public async Task Emit_refuses_a_body_that_is_not_json_with_415()
    {
        using var response = await _push.PostAsync("api/emit", new StringContent("event=x", Encoding.UTF8, "text/plain"));
        await AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Emit_refuses_get_with_405()
    {
        using var response = await _push.GetAsync("api/emit");
        await AssertErrorAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task An_unknown_path_on_the_push_port_answers_a_json_404()
    {
        using var response = await _push.GetAsync("api/nothing-here");
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Stats_count_connections_transports_protocols_and_namespaces()
    {
        var a = await ConnectAsync();
        await ConnectAsync();
        await JoinAsync(a, "room-a");

        var stats = await _push.GetFromJsonAsync<JsonElement>("api/stats");

        Assert.Equal(2, stats.GetProperty("connections").GetInt32());
        Assert.Equal(2, stats.GetProperty("transports").GetProperty("websocket").GetInt32());
        Assert.Equal(2, stats.GetProperty("protocols").GetProperty("4").GetInt32());
        Assert.False(stats.GetProperty("draining").GetBoolean());
        var root = stats.GetProperty("namespaces").EnumerateArray().Single(n => n.GetProperty("name").GetString() == "/");
        Assert.Equal(2, root.GetProperty("sockets").GetInt32());
        Assert.Equal(1, root.GetProperty("rooms").GetInt32());
        Assert.Contains(stats.GetProperty("namespaces").EnumerateArray(), n => n.GetProperty("name").GetString() == "/chat");
    }

    [Fact]
    public async Task Rooms_and_sockets_of_a_namespace_are_listed_without_each_sockets_own_room()
    {
        var a = await ConnectAsync();
        var b = await ConnectAsync();
        await JoinAsync(a, "r1");
        await JoinAsync(b, "r1");
        await JoinAsync(b, "r2");

        var rooms = await _push.GetFromJsonAsync<JsonElement>("api/namespaces/%2F/rooms");
        var sockets = await _push.GetFromJsonAsync<JsonElement>("api/namespaces/%2F/sockets");

        Assert.Equal("/", rooms.GetProperty("namespace").GetString());
        Assert.Equal("""[{"name":"r1","sockets":2},{"name":"r2","sockets":1}]""", rooms.GetProperty("rooms").GetRawText());
        var listed = sockets.GetProperty("sockets").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal(new[] { a.Id, b.Id }.Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("""["r1","r2"]""", listed[b.Id].GetProperty("rooms").GetRawText());
        Assert.Equal("127.0.0.1", listed[a.Id].GetProperty("address").GetString());
    }

    [Fact]
    public async Task Listing_an_unknown_namespace_answers_404()
    {
        using var response = await _push.GetAsync("api/namespaces/unknown/sockets");
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "unknown_namespace");
    }

    [Fact]
    public async Task A_declared_namespace_can_be_named_without_its_slash()
    {
        var rooms = await _push.GetFromJsonAsync<JsonElement>("api/namespaces/chat/rooms");
        Assert.Equal("/chat", rooms.GetProperty("namespace").GetString());
        Assert.Equal(0, rooms.GetProperty("rooms").GetArrayLength());
    }

    [Fact]
    public async Task Sockets_leave_takes_the_selected_sockets_out_of_a_room()
    {
        var a = await ConnectAsync();
        await JoinAsync(a, "temp");

        using var leave = await _push.PostAsJsonAsync("api/sockets/leave", new { rooms = new[] { "temp" }, targetRooms = new[] { "temp" } });
        Assert.Equal(1, (await leave.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sockets").GetInt32());

        using var emit = await _push.PostAsJsonAsync("api/emit", new { @event = "x", rooms = new[] { "temp" } });
        Assert.Equal(0, (await emit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recipients").GetInt32());
    }

    [Fact]
    public async Task Sockets_join_without_target_rooms_is_refused()
    {
        using var response = await _push.PostAsJsonAsync("api/sockets/join", new { socketId = "x" });
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "missing_parameter");
    }

    [Fact]
    public async Task Sockets_disconnect_with_close_ends_the_selected_connection_only()
    {
        var doomed = await ConnectAsync();
        var kept = await ConnectAsync();

        using var response = await _push.PostAsJsonAsync("api/sockets/disconnect", new { socketId = doomed.Id, close = true });

        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sockets").GetInt32());
        await doomed.Closed.DefaultTimeout();
        Assert.False(kept.Closed.IsCompleted);
        await AssertNothingBeforeMarkerAsync(kept);
    }

    [Fact]
    public async Task Metrics_count_push_requests_by_status_and_sessions_by_transport()
    {
        await ConnectAsync();
        await _push.GetStringAsync("?msg=counted");
        using var bad = await _push.GetAsync("?nothing=1");

        var metrics = await _push.GetStringAsync("metrics");

        Assert.Contains("pushserver_push_requests_total{operation=\"msg\",status=\"200\"} 1", metrics);
        Assert.Contains("pushserver_push_requests_total{operation=\"root\",status=\"400\"} 1", metrics);
        Assert.Contains("pushserver_connections{transport=\"websocket\",protocol=\"4\"} 1", metrics);
        Assert.Contains("pushserver_handshakes_total{transport=\"websocket\",protocol=\"4\"} 1", metrics);
        Assert.Contains("pushserver_broadcast_recipients_count 1", metrics);
        Assert.Contains("pushserver_send_queue_bytes", metrics);
        Assert.Contains("pushserver_packets_sent_total{kind=\"text\"}", metrics);
    }

    [Fact]
    public async Task Health_live_and_ready_answer_healthy_while_running()
    {
        Assert.Equal("Healthy", await _push.GetStringAsync("health/live"));
        Assert.Equal("Healthy", await _push.GetStringAsync("health/ready"));
    }

    [Fact]
    public async Task While_draining_readiness_fails_and_new_handshakes_and_pushes_get_503()
    {
        var connected = await ConnectAsync();
        _server.Services.GetRequiredService<DrainState>().Begin();

        using var ready = await _push.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var live = await _push.GetAsync("health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var push = await _push.GetAsync("?msg=late");
        await AssertErrorAsync(push, HttpStatusCode.ServiceUnavailable, "shutting_down");
        using var socketIO = _server.SocketIOClient();
        using var handshake = await socketIO.GetAsync("socket.io/?EIO=4&transport=polling");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, handshake.StatusCode);
        Assert.False(connected.Closed.IsCompleted);
    }

    [Fact]
    public async Task Stopping_the_host_closes_connected_clients()
    {
        var client = await ConnectAsync();
        await _server.StopAsync();
        await client.Closed.DefaultTimeout();
    }

    [Fact]
    public async Task Push_endpoints_are_not_found_on_the_socket_io_port()
    {
        using var socketIO = _server.SocketIOClient();
        // "/" on the Socket.IO port is the demo page: a msg there is not a push.
        using (var root = await socketIO.GetAsync("?msg=x"))
        {
            Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
            Assert.NotEqual("ok", await root.Content.ReadAsStringAsync());
        }
        foreach (var path in new[] { "api/stats", "api/emit", "metrics", "health/ready", "health/live", "api/namespaces/%2F/rooms" })
        {
            using var response = await socketIO.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} answered {response.StatusCode} on the Socket.IO port");
        }
    }

    [Fact]
    public async Task Socket_io_is_not_found_on_the_push_port_and_served_on_its_own()
    {
        using var onPush = await _push.GetAsync("socket.io/?EIO=4&transport=polling");
        await AssertErrorAsync(onPush, HttpStatusCode.NotFound, "not_found");

        using var socketIO = _server.SocketIOClient();
        var open = await socketIO.GetStringAsync("socket.io/?EIO=4&transport=polling");
        Assert.StartsWith("0{\"sid\":", open);
    }
}
