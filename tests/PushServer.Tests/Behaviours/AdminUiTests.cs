using PushServer.Configuration;

namespace PushServer.Tests.Behaviours;

/// <summary>
/// The server side of @socket.io/admin-ui 0.5, driven as its UI drives it: a real socket.io-client 4.x on the admin
/// namespace with <c>{username, password}</c> in its auth, next to ordinary clients.
/// </summary>
public sealed class AdminUiTests : ResourceTests
{
    private const string Password = "correct horse battery staple";
    // Cost 4, bcrypt's minimum, keeps each login fast in tests; the check is the same at any cost.
    private static readonly string PasswordHash = BCrypt.Net.BCrypt.HashPassword(Password, 4);

    private async Task<InProcessServer> StartAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AdminUi:Enabled"] = "true",
            ["AdminUi:Username"] = "admin",
            ["AdminUi:PasswordHash"] = PasswordHash,
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }
        return await StartInProcessAsync(settings);
    }

    private async Task<NodeClient> StartAdminAsync(InProcessServer server, string password = Password)
    {
        return await StartClientAsync(new SocketIOClientConfig(server.SocketIOUrl)
        {
            Namespace = "/admin",
            Auth = new { username = "admin", password },
        });
    }

    private Task<(NodeClient Client, string Id)> ConnectAsync(InProcessServer server) =>
        ConnectClientAsync(new SocketIOClientConfig(server.SocketIOUrl));

    private static Task<JsonElement> WaitForAdminEventAsync(NodeClient admin, string name, Func<JsonElement, bool> match) =>
        admin.WaitForEventAsync("event", e => e.GetProperty("name").ValueEquals(name) && match(e.GetProperty("args")));

    private static IEnumerable<string> Features(JsonElement config) =>
        config.GetProperty("args")[0].GetProperty("supportedFeatures").EnumerateArray().Select(f => f.GetString()!);

    [Fact]
    public async Task A_ui_that_logs_in_gets_a_session_the_config_every_socket_and_the_server_stats()
    {
        var server = await StartAsync();
        var (_, clientId) = await ConnectAsync(server);

        var admin = await StartAdminAsync(server);

        await admin.WaitForEventAsync("connect");
        var session = await admin.WaitForServerEventAsync("session");
        Assert.Equal(32, session.GetProperty("args")[0].GetString()!.Length);
        var config = await admin.WaitForServerEventAsync("config");
        Assert.Equal(
            ["EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT", "AGGREGATED_EVENTS", "ALL_EVENTS"],
            Features(config));
        var all = (await admin.WaitForServerEventAsync("all_sockets")).GetProperty("args")[0];
        var client = Assert.Single(all.EnumerateArray(), s => s.GetProperty("id").GetString() == clientId);
        Assert.Equal("/", client.GetProperty("nsp").GetString());
        Assert.Contains(client.GetProperty("transport").GetString(), new[] { "polling", "websocket" });
        Assert.Equal(12, client.GetProperty("clientId").GetString()!.Length);
        Assert.Equal("127.0.0.1", client.GetProperty("handshake").GetProperty("address").GetString());
        Assert.Contains(clientId, client.GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
        Assert.False(client.GetProperty("handshake").TryGetProperty("auth", out _));
        var stats = (await admin.WaitForServerEventAsync("server_stats")).GetProperty("args")[0];
        Assert.Equal(Environment.ProcessId, stats.GetProperty("pid").GetInt32());
        Assert.True(stats.GetProperty("clientsCount").GetInt32() >= 2);
        Assert.Contains(stats.GetProperty("namespaces").EnumerateArray(),
            n => n.GetProperty("name").GetString() == "/" && n.GetProperty("socketsCount").GetInt32() == 1);
    }

    [Fact]
    public async Task The_server_stats_carry_the_connections_packets_and_bytes_the_dashboard_charts_draw()
    {
        var server = await StartAsync(new() { ["AdminUi:ServerStatsIntervalMs"] = "200" });
        var admin = await StartAdminAsync(server);
        await admin.WaitForServerEventAsync("config");
        var (client, _) = await ConnectAsync(server);
        var text = new string('x', 500);

        await client.EmitAsync("chat message", text);

        // Summed over the stats as they come, as the UI sums them into its charts.
        var totals = new Dictionary<string, long>();
        await WaitForAdminEventAsync(admin, "server_stats", args =>
        {
            foreach (var e in args[0].GetProperty("aggregatedEvents").EnumerateArray())
            {
                var type = e.GetProperty("type").GetString()!;
                totals[type] = totals.GetValueOrDefault(type) + e.GetProperty("count").GetInt64();
                Assert.Equal(0, e.GetProperty("timestamp").GetInt64() % 1000);
            }
            return totals.GetValueOrDefault("rawConnection") >= 1 && totals.GetValueOrDefault("bytesIn") >= text.Length
                && totals.GetValueOrDefault("packetsIn") >= 1 && totals.GetValueOrDefault("bytesOut") > 0;
        });
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_invalid_credentials()
    {
        var server = await StartAsync();

        var admin = await StartAdminAsync(server, password: "wrong");

        var error = await admin.WaitForEventAsync("connect_error");
        Assert.Equal("invalid credentials", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_ui_reconnecting_with_its_session_id_needs_no_password_and_a_made_up_one_is_refused()
    {
        var server = await StartAsync();
        var first = await StartAdminAsync(server);
        var sessionId = (await first.WaitForServerEventAsync("session")).GetProperty("args")[0].GetString();

        var again = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig(server.SocketIOUrl)
        {
            Namespace = "/admin",
            Auth = new { sessionId },
        });
        Resources.Add(again);
        var forged = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig(server.SocketIOUrl)
        {
            Namespace = "/admin",
            Auth = new { sessionId = new string('0', 32) },
        });
        Resources.Add(forged);

        await again.WaitForServerEventAsync("config");
        Assert.Equal("invalid credentials", (await forged.WaitForEventAsync("connect_error")).GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_ui_sees_sockets_connect_join_rooms_send_events_and_disconnect()
    {
        var server = await StartAsync();
        var admin = await StartAdminAsync(server);
        await admin.WaitForServerEventAsync("all_sockets");

        var (client, clientId) = await ConnectAsync(server);
        await WaitForAdminEventAsync(admin, "socket_connected", a => a[0].GetProperty("id").GetString() == clientId);
        using (var push = server.PushClient())
        {
            using var response = await push.PostAsync("api/sockets/join", new StringContent(
                JsonSerializer.Serialize(new { socketId = clientId, targetRooms = new[] { "news" } }), Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode);
        }
        await WaitForAdminEventAsync(admin, "room_joined",
            a => a[0].GetString() == "/" && a[1].GetString() == "news" && a[2].GetString() == clientId);
        await client.EmitAsync("hello", "world");
        await WaitForAdminEventAsync(admin, "event_received",
            a => a[1].GetString() == clientId && a[2][0].GetString() == "hello" && a[2][1].GetString() == "world");

        await client.DisconnectAsync();

        await WaitForAdminEventAsync(admin, "room_left", a => a[1].GetString() == "news" && a[2].GetString() == clientId);
        var gone = await WaitForAdminEventAsync(admin, "socket_disconnected", a => a[1].GetString() == clientId);
        Assert.Equal("client namespace disconnect", gone.GetProperty("args")[2].GetString());
    }

    [Fact]
    public async Task The_ui_hears_of_a_socket_whose_connection_upgrades_from_polling_to_websocket()
    {
        var server = await StartAsync();
        var admin = await StartAdminAsync(server);
        await admin.WaitForServerEventAsync("all_sockets");

        // socket.io-client's default transports: polling first, then the upgrade.
        var (_, clientId) = await ConnectClientAsync(new SocketIOClientConfig(server.SocketIOUrl) { Transports = ["polling", "websocket"] });

        var connected = await WaitForAdminEventAsync(admin, "socket_connected", a => a[0].GetProperty("id").GetString() == clientId);
        var updated = await WaitForAdminEventAsync(admin, "socket_updated", a => a[0].GetProperty("id").GetString() == clientId);
        Assert.Equal("polling", connected.GetProperty("args")[0].GetProperty("transport").GetString());
        Assert.Equal("/", updated.GetProperty("args")[0].GetProperty("nsp").GetString());
        Assert.Equal("websocket", updated.GetProperty("args")[0].GetProperty("transport").GetString());
    }

    [Fact]
    public async Task The_join_leave_and_disconnect_actions_reach_the_socket()
    {
        var server = await StartAsync();
        var (client, clientId) = await ConnectAsync(server);
        var admin = await StartAdminAsync(server);
        await admin.WaitForServerEventAsync("all_sockets");

        // The UI acts on one socket by passing its id as the room filter.
        await admin.EmitAsync("join", "/", "vip", clientId);
        await WaitForAdminEventAsync(admin, "room_joined", a => a[1].GetString() == "vip" && a[2].GetString() == clientId);
        await admin.EmitAsync("emit", "/", "vip", "greeting", "hi");
        var greeting = await client.WaitForServerEventAsync("greeting");
        Assert.Equal("hi", greeting.GetProperty("args")[0].GetString());
        await admin.EmitAsync("leave", "/", "vip", clientId);
        await WaitForAdminEventAsync(admin, "room_left", a => a[1].GetString() == "vip" && a[2].GetString() == clientId);
        await admin.EmitAsync("_disconnect", "/", false, clientId);

        var disconnect = await client.WaitForEventAsync("disconnect");
        Assert.Equal("io server disconnect", disconnect.GetProperty("reason").GetString());
        await WaitForAdminEventAsync(admin, "socket_disconnected", a => a[1].GetString() == clientId);
    }

    [Fact]
    public async Task Read_only_mode_offers_no_actions_and_ignores_them()
    {
        var server = await StartAsync(new() { ["AdminUi:ReadOnly"] = "true" });
        var (client, clientId) = await ConnectAsync(server);
        var watcher = await StartAdminAsync(server);
        await watcher.WaitForServerEventAsync("all_sockets");
        var admin = await StartAdminAsync(server);
        var adminId = (await admin.WaitForEventAsync("connect")).GetProperty("id").GetString();

        Assert.Equal(["AGGREGATED_EVENTS", "ALL_EVENTS"], Features(await admin.WaitForServerEventAsync("config")));
        await admin.EmitAsync("_disconnect", "/", true, clientId);
        await admin.EmitAsync("join", "/", "vip", clientId);
        // Packets of one connection are handled in order: once the UI's own disconnect is seen, its actions were too.
        await admin.DisconnectAsync();
        await WaitForAdminEventAsync(watcher, "socket_disconnected", a => a[1].GetString() == adminId);

        Assert.DoesNotContain(client.Events, e => e.GetProperty("event").GetString() == "disconnect");
        Assert.DoesNotContain(watcher.Events, e => e.GetProperty("event").GetString() == "event"
            && e.GetProperty("name").GetString() == "room_joined" && e.GetProperty("args")[1].GetString() == "vip");
        using var push = server.PushClient();
        Assert.Equal("ok", await push.GetStringAsync("?msg=still-here"));
        await client.WaitForServerEventAsync("chat message");
    }

    [Fact]
    public void A_plaintext_password_is_refused_at_start_naming_the_key()
    {
        var loaded = PushServerConfiguration.Load(
            explicitFile: null,
            new ConfigurationOverrides { Values = new Dictionary<string, string?>
            {
                ["AdminUi:Enabled"] = "true",
                ["AdminUi:Username"] = "admin",
                ["AdminUi:PasswordHash"] = "hunter2",
            } },
            environment: [], currentDirectory: Path.GetTempPath());

        var problems = ConfigurationCheck.Run(loaded);

        Assert.Contains(problems, p => p.Contains("AdminUi:PasswordHash must be a bcrypt hash"));
    }

    [Fact]
    public void Without_credentials_or_AllowNoAuth_the_admin_ui_does_not_start()
    {
        var loaded = PushServerConfiguration.Load(
            explicitFile: null,
            new ConfigurationOverrides { Values = new Dictionary<string, string?> { ["AdminUi:Enabled"] = "true" } },
            environment: [], currentDirectory: Path.GetTempPath());

        var problems = ConfigurationCheck.Run(loaded);

        Assert.Contains(problems, p => p.Contains("AdminUi:AllowNoAuth"));
    }
}
