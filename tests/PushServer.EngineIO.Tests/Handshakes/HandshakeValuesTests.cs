using Microsoft.AspNetCore.Http;
using PushServer.EngineIO.Handshakes;

namespace PushServer.EngineIO.Tests.Handshakes;

public class HandshakeValuesTests
{
    [Fact]
    public void Query_values_are_decoded_and_a_repeated_name_keeps_its_first_value()
    {
        var query = new QueryValues("?EIO=4&transport=polling&name=a+b%20c&flag&EIO=3&=ignored&&");

        Assert.Equal("4", query["EIO"]);
        Assert.Equal("a b c", query["name"]);
        Assert.Equal("", query["flag"]);
        Assert.False(query.ContainsKey("eio"));
        Assert.Equal(["EIO", "transport", "name", "flag"], query.Keys);
        Assert.Equal(4, query.Count);
        Assert.Equal("4,3", query.Joined("EIO"));
        Assert.Equal("", query.Joined("sid"));
    }

    [Fact]
    public void Empty_or_missing_query_has_no_values()
    {
        Assert.Empty(new QueryValues(null));
        Assert.Empty(new QueryValues("?"));
        Assert.False(new QueryValues("").TryGetValue("sid", out _));
    }

    [Fact]
    public void Header_snapshot_lower_cases_names_joins_repeated_values_and_ignores_case_on_lookup()
    {
        var headers = new HeaderDictionary
        {
            ["Host"] = "127.0.0.1",
            ["X-Custom-Thing"] = new Microsoft.Extensions.Primitives.StringValues(["a", "b"]),
            ["user-agent"] = "test",
        };

        var snapshot = HeaderSnapshot.Capture(headers);

        Assert.Equal(["host", "x-custom-thing", "user-agent"], snapshot.Keys);
        Assert.Equal("a, b", snapshot["x-custom-thing"]);
        Assert.Equal("127.0.0.1", snapshot["HOST"]);
        Assert.Throws<KeyNotFoundException>(() => snapshot["cookie"]);
    }
}
