namespace PushServer.SocketIO.Protocol;

/// <summary>
/// Tells a payload refused for its nesting depth from one that is merely malformed, so the refusal is reported as the
/// limit it is. Only runs after the JSON parser already failed.
/// </summary>
internal static class JsonNesting
{
    /// <summary>Whether brackets outside strings nest deeper than <paramref name="maxDepth"/> anywhere in <paramref name="json"/>.</summary>
    public static bool Exceeds(ReadOnlySpan<byte> json, int maxDepth)
    {
        var depth = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (inString)
            {
                if (b == (byte)'\\')
                {
                    i++;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
                continue;
            }
            switch (b)
            {
                case (byte)'"':
                    inString = true;
                    break;
                case (byte)'[' or (byte)'{':
                    if (++depth > maxDepth)
                    {
                        return true;
                    }
                    break;
                case (byte)']' or (byte)'}':
                    depth--;
                    break;
            }
        }
        return false;
    }
}
