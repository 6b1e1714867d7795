using Microsoft.Extensions.Configuration;
using PushServer.Hosting;

namespace PushServer.Tests.Cli;

/// <summary><c>Server:InlineIo</c> turns on the runtime's inline socket completions, unless the operator set them.</summary>
public sealed class InlineIoTests
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    private static Dictionary<string, string> Apply(string? setting, string? existing)
    {
        var environment = new Dictionary<string, string>();
        if (existing is not null)
        {
            environment[Variable] = existing;
        }
        var values = setting is null ? [] : new Dictionary<string, string?> { ["Server:InlineIo"] = setting };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        InlineIo.Apply(configuration, name => environment.GetValueOrDefault(name), (name, value) => environment[name] = value);
        return environment;
    }

    [Fact]
    public void On_by_default() => Assert.Equal("1", Apply(setting: null, existing: null)[Variable]);

    [Fact]
    public void Off_leaves_the_environment_alone() => Assert.False(Apply(setting: "false", existing: null).ContainsKey(Variable));

    [Fact]
    public void An_operators_own_value_wins() => Assert.Equal("0", Apply(setting: "true", existing: "0")[Variable]);
}
