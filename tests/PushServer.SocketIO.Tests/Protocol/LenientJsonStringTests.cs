using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO.Tests.Protocol;

public class LenientJsonStringTests
{
    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"a\\ud800b\"", "a\uFFFDb")]
    [InlineData("\"\\udc00\"", "\uFFFD")]
    [InlineData("\"\\ud83d\\ude00 \\ud83d\"", "\U0001F600 \uFFFD")]
    [InlineData("\"q\\\"\\\\\\/\\n\\t\\u0041\\ud800\"", "q\"\\/\n\tA\uFFFD")]
    public void A_JSON_string_reads_with_lone_surrogates_replaced(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, LenientJsonString.Read(document.RootElement));
    }

    [Fact]
    public void An_argument_with_a_lone_surrogate_reads_as_a_string_instead_of_throwing()
    {
        using var document = JsonDocument.Parse("[\"join\",\"room\\ud800\"]");
        var args = new SocketIOArgs(document.RootElement.Clone(), 1, [], JsonSerializerOptions.Default);

        Assert.Equal("room\uFFFD", args.GetString(0));
    }
}
