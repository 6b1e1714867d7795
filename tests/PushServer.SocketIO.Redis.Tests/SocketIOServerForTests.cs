using Microsoft.Extensions.Options;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>A server with default options, for the serializer settings the codec uses.</summary>

internal sealed class SocketIOServerForTests
{
    private readonly SocketIOServer _server = new(Options.Create(new SocketIOOptions()), new InMemoryAdapterFactory(), TimeProvider.System);

    public System.Text.Json.JsonSerializerOptions SerializerOptions => _server.SerializerOptions;
}
