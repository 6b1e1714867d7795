using PushServer.SocketIO.Adapters;

namespace PushServer.SocketIO.Tests.Adapters;

public class MemberSetTests
{
    private static List<string> Items(MemberSet set)
    {
        var items = new List<string>();
        foreach (var item in set)
        {
            items.Add(item);
        }
        items.Sort(StringComparer.Ordinal);
        return items;
    }

    [Fact]
    public void Grows_from_one_member_to_many_and_shrinks_back()
    {
        var set = new MemberSet();
        Assert.Equal(0, set.Count);
        Assert.Empty(Items(set));

        Assert.True(set.Add("a"));
        Assert.False(set.Add("a"));
        Assert.Equal(1, set.Count);
        Assert.True(set.Contains("a"));
        Assert.False(set.Contains("b"));
        Assert.Equal(["a"], Items(set));

        Assert.True(set.Add("b"));
        Assert.True(set.Add("c"));
        Assert.False(set.Add("b"));
        Assert.Equal(3, set.Count);
        Assert.Equal(["a", "b", "c"], Items(set));

        Assert.True(set.Remove("a"));
        Assert.False(set.Remove("a"));
        Assert.True(set.Remove("c"));
        Assert.Equal(["b"], Items(set));
        Assert.True(set.Contains("b"));

        Assert.False(set.Remove("x"));
        Assert.True(set.Remove("b"));
        Assert.Equal(0, set.Count);
        Assert.Empty(Items(set));
        Assert.False(set.Remove("b"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Copies_its_members_into_a_set(int members)
    {
        var set = new MemberSet();
        var expected = new List<string> { "other" };
        for (var i = 1; i <= members; i++)
        {
            set.Add("room-" + i);
            expected.Add("room-" + i);
        }
        var target = new HashSet<string> { "other" };
        set.CopyTo(target);
        Assert.Equal(expected, target.Order(StringComparer.Ordinal));
    }
}
