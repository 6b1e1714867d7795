using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PushServer.AdminUi;

namespace PushServer.Tests.Behaviours;

/// <summary>
/// Password guessing against the admin namespace, the way an attacker would do it: one raw Engine.IO connection
/// sending CONNECT after CONNECT, each with another password, on the server's virtual clock.
/// </summary>
public sealed class AdminUiLoginLimitTests : ResourceTests
{
    private const string Password = "correct horse battery staple";
    private static readonly string PasswordHash = BCrypt.Net.BCrypt.HashPassword(Password, 4);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private async Task<InProcessServer> StartAsync() =>
        Resources.AddDisposedLast(await InProcessServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["AdminUi:Enabled"] = "true",
                ["AdminUi:Username"] = "admin",
                ["AdminUi:PasswordHash"] = PasswordHash,
            },
            services => services.AddSingleton<TimeProvider>(_clock)));

    [Fact]
    public async Task An_address_that_failed_five_times_is_refused_even_the_right_password_until_the_window_has_passed()
    {
        var server = await StartAsync();
        using var guesser = await OpenAsync(server);

        for (var i = 0; i < AdminLoginGuard.MaxFailures; i++)
        {
            Assert.Equal("invalid credentials", await LoginErrorAsync(guesser, "guess" + i));
        }
        Assert.Equal("too many login attempts", await LoginErrorAsync(guesser, Password));
        Assert.Equal("too many login attempts", await LoginErrorAsync(guesser, "another guess"));

        _clock.Advance(AdminLoginGuard.FailureWindow);

        using var later = await OpenAsync(server);
        Assert.Null(await LoginErrorAsync(later, Password));
    }

    [Fact]
    public async Task A_wrong_user_name_counts_as_a_failure_like_a_wrong_password()
    {
        var server = await StartAsync();
        using var guesser = await OpenAsync(server);

        for (var i = 0; i < AdminLoginGuard.MaxFailures - 1; i++)
        {
            Assert.Equal("invalid credentials", await LoginErrorAsync(guesser, Password, username: "root" + i));
        }
        Assert.Equal("invalid credentials", await LoginErrorAsync(guesser, "guess"));

        Assert.Equal("too many login attempts", await LoginErrorAsync(guesser, Password));
    }

    [Fact]
    public async Task A_successful_login_clears_the_count()
    {
        var server = await StartAsync();
        using var client = await OpenAsync(server);
        for (var i = 0; i < AdminLoginGuard.MaxFailures - 1; i++)
        {
            Assert.Equal("invalid credentials", await LoginErrorAsync(client, "guess" + i));
        }
        Assert.Null(await LoginErrorAsync(client, Password));

        // As many failures again: together they would have locked the address out, had the success not cleared them.
        using var again = await OpenAsync(server);
        for (var i = 0; i < AdminLoginGuard.MaxFailures - 1; i++)
        {
            Assert.Equal("invalid credentials", await LoginErrorAsync(again, "guess" + i));
        }
        Assert.Null(await LoginErrorAsync(again, Password));
    }

    /// <summary>A WebSocket Engine.IO v4 connection, opened (the open packet read).</summary>
    private static async Task<ClientWebSocket> OpenAsync(InProcessServer server)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{server.SocketIOPort}/socket.io/?EIO=4&transport=websocket"), CancellationToken.None).DefaultTimeout();
        Assert.StartsWith("0{", await ReceiveAsync(socket));
        return socket;
    }

    /// <summary>Sends CONNECT to the admin namespace; the connect_error's message, or null when the login succeeded.</summary>
    private static async Task<string?> LoginErrorAsync(ClientWebSocket socket, string password, string username = "admin")
    {
        var auth = JsonSerializer.Serialize(new { username, password });
        await socket.SendAsync(Encoding.UTF8.GetBytes("40/admin," + auth), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();
        while (true)
        {
            var packet = await ReceiveAsync(socket);
            if (packet.StartsWith("44/admin,", StringComparison.Ordinal))
            {
                return JsonDocument.Parse(packet["44/admin,".Length..]).RootElement.GetProperty("message").GetString();
            }
            if (packet.StartsWith("40/admin,", StringComparison.Ordinal))
            {
                return null;
            }
            // Anything else (a ping of the virtual clock, the admin namespace's own events) is not the answer.
        }
    }

    private static async Task<string> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }
}
