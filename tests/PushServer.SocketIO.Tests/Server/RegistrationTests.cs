using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PushServer.SocketIO.Adapters;

namespace PushServer.SocketIO.Tests.Server;

public class RegistrationTests
{
    [Fact]
    public void Add_socket_io_registers_the_server_the_handler_and_the_in_memory_adapter()
    {
        using var provider = new ServiceCollection().AddLogging().AddSocketIO().BuildServiceProvider();

        var io = provider.GetRequiredService<SocketIOServer>();

        Assert.Same(io.ConnectionHandler, provider.GetRequiredService<IEngineConnectionHandler>());
        Assert.IsType<InMemoryAdapter>(io.Sockets.Adapter);
        Assert.Equal(SocketIOOptions.DefaultConnectTimeout, io.Options.ConnectTimeout);
    }

    [Fact]
    public void Adapter_factory_registered_before_add_socket_io_replaces_the_default()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<ISocketIOAdapterFactory, CustomFactory>();
        using var provider = services.AddSocketIO().BuildServiceProvider();

        Assert.IsType<CustomAdapter>(provider.GetRequiredService<SocketIOServer>().Of("/x").Adapter);
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_key_named()
    {
        using var provider = new ServiceCollection().AddLogging()
            .AddSocketIO(o => { o.ConnectTimeout = TimeSpan.Zero; o.MaxAttachments = -1; o.MaxOutboundPacketBytes = 0; })
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SocketIOOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("SocketIO:ConnectTimeout"));
        Assert.Contains(error.Failures, f => f.Contains("SocketIO:MaxAttachments"));
        Assert.Contains(error.Failures, f => f.Contains("SocketIO:MaxOutboundPacketBytes"));
    }

    private sealed class CustomFactory : ISocketIOAdapterFactory
    {
        public SocketIOAdapter Create(SocketIONamespace nsp) => new CustomAdapter(nsp);
    }

    private sealed class CustomAdapter(SocketIONamespace nsp) : InMemoryAdapter(nsp);
}
