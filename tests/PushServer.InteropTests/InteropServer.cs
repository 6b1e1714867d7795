using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PushServer.EngineIO;
using PushServer.SocketIO;
using PushServer.Testing;

namespace PushServer.InteropTests;

/// <summary>
/// The Socket.IO application every real client is tested against, on a real Kestrel at 127.0.0.1:0.
/// On <c>/</c>:
/// <list type="bullet">
/// <item><c>echo</c> (with ack): acked with the same arguments, binary staying binary;</item>
/// <item><c>message</c>: answered by <c>message-back</c> with the same arguments;</item>
/// <item><c>join</c> room (with ack): joins and acks <c>"joined"</c>; <c>to-room</c> room, text: <c>room-message</c> to that room;</item>
/// <item><c>ask</c> text [timeoutMs]: the server emits <c>question</c> with an ack (30 s timeout unless given: longer than any
/// test waits, so a slow machine never turns an answer into a timeout) and reports
/// the client's answer as <c>answer</c>, or <c>answer-timeout</c>;</item>
/// <item><c>kick</c>: the server disconnects the socket from the namespace.</item>
/// <item><c>kick-close</c>: the server disconnects the socket and closes its whole connection.</item>
/// </list>
/// On <c>/admin</c>: a middleware requires <c>auth.token == "secret"</c>, refusing with message
/// <c>Not authorized</c> and data <c>{"reason":"no token"}</c>; connected sockets get <c>welcome</c>.
/// </summary>
public sealed class InteropServer : IAsyncDisposable
{
    private readonly KestrelTestServer _server;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _disconnects;

    private InteropServer(KestrelTestServer server, EngineServer engine, ConcurrentDictionary<string, TaskCompletionSource<string>> disconnects)
    {
        _server = server;
        Engine = engine;
        _disconnects = disconnects;
    }

    /// <summary>The Engine.IO server under <c>/socket.io/</c>, for closing sessions from the server side.</summary>
    public EngineServer Engine { get; }

    /// <summary>Completes with the reason once the socket <paramref name="socketId"/> of <c>/</c> has disconnected on the server.</summary>
    public Task<string> WaitForDisconnectAsync(string socketId) => Disconnect(_disconnects, socketId).Task;

    private static TaskCompletionSource<string> Disconnect(ConcurrentDictionary<string, TaskCompletionSource<string>> map, string socketId) =>
        map.GetOrAdd(socketId, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

    public Uri BaseAddress => _server.BaseAddress;

    /// <summary><c>http://127.0.0.1:PORT</c>, without a trailing slash, as clients take it.</summary>
    public string Url => _server.BaseAddress.GetLeftPart(UriPartial.Authority);

    public SocketIOServer Io => _server.Services.GetRequiredService<SocketIOServer>();

    public static async Task<InteropServer> StartAsync(Action<SocketIOOptions>? options = null)
    {
        var disconnects = new ConcurrentDictionary<string, TaskCompletionSource<string>>(StringComparer.Ordinal);
        EngineServer? engine = null;
        var server = await KestrelTestServer.StartAsync(
            services => services.AddSocketIO(options),
            app =>
            {
                // What MapSocketIO does, with the engine kept so tests can close sessions as the server.
                var io = app.Services.GetRequiredService<SocketIOServer>();
                Configure(io, disconnects);
                engine = new EngineServer(io.ConnectionHandler, new EngineIOOptions(), TimeProvider.System, app.Services.GetService<ILoggerFactory>());
                app.MapEngineIO("/socket.io", engine);
            });
        return new InteropServer(server, engine!, disconnects);
    }

    private static void Configure(SocketIOServer io, ConcurrentDictionary<string, TaskCompletionSource<string>> disconnects)
    {
        io.OnConnection(socket =>
        {
            socket.OnDisconnect(reason => Disconnect(disconnects, socket.Id).TrySetResult(reason));
            socket.On("echo", e => e.Ack(e.Args.ToEmitArguments()));
            socket.On("message", e => socket.Emit("message-back", e.Args.ToEmitArguments()));
            socket.On("join", e =>
            {
                socket.Join(e.Args.GetString(0)!);
                e.Ack("joined");
            });
            socket.On("to-room", e => io.To(e.Args.GetString(0)!).Emit("room-message", e.Args.GetString(1)));
            socket.On("ask", async e =>
            {
                try
                {
                    var timeout = e.Args.Count > 1 ? TimeSpan.FromMilliseconds(e.Args[1].GetInt32()) : TimeSpan.FromSeconds(30);
                    var answer = await socket.Timeout(timeout).EmitWithAckAsync("question", [e.Args.GetString(0)]);
                    socket.Emit("answer", answer.ToEmitArguments());
                }
                catch (TimeoutException)
                {
                    socket.Emit("answer-timeout");
                }
            });
            socket.On("kick", _ => socket.Disconnect());
            socket.On("kick-close", _ => socket.Disconnect(close: true));
        });

        io.Of("/admin")
            .Use((socket, _) =>
            {
                var auth = socket.Handshake.Auth;
                var authorized = auth.ValueKind == System.Text.Json.JsonValueKind.Object
                    && auth.TryGetProperty("token", out var token)
                    && token.ValueKind == System.Text.Json.JsonValueKind.String
                    && token.GetString() == "secret";
                return authorized ? ValueTask.CompletedTask : throw new ConnectErrorException("Not authorized", new { reason = "no token" });
            })
            .OnConnection(socket => socket.Emit("welcome", "admin"));
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
