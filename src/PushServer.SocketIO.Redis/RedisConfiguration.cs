using StackExchange.Redis;

namespace PushServer.SocketIO.Redis;

/// <summary>Turns <see cref="RedisAdapterOptions.Configuration"/> into StackExchange.Redis settings.</summary>
internal static class RedisConfiguration
{
    public static bool TryParse(string configuration, out ConfigurationOptions? options, out string? error)
    {
        options = null;
        error = null;
        try
        {
            if (configuration.StartsWith("redis://", StringComparison.OrdinalIgnoreCase)
                || configuration.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
            {
                // Several comma-separated URLs are the seed nodes of a Redis Cluster: StackExchange.Redis discovers the
                // rest of the cluster from any one of them. Credentials, TLS and database come from the first URL.
                var urls = configuration.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var uri = new Uri(urls[0]);
                options = new ConfigurationOptions { Ssl = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase) };
                foreach (var seed in urls.Select(u => new Uri(u)))
                {
                    options.EndPoints.Add(seed.Host, seed.IsDefaultPort || seed.Port < 0 ? 6379 : seed.Port);
                }
                if (!string.IsNullOrEmpty(uri.UserInfo))
                {
                    var parts = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
                    if (parts.Length == 2)
                    {
                        options.User = parts[0].Length > 0 ? parts[0] : null;
                        options.Password = parts[1];
                    }
                    else
                    {
                        options.Password = parts[0];
                    }
                }
                var db = uri.AbsolutePath.Trim('/');
                if (db.Length > 0)
                {
                    options.DefaultDatabase = int.Parse(db, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            else
            {
                options = ConfigurationOptions.Parse(configuration);
            }
            if (options.EndPoints.Count == 0)
            {
                error = "no host given";
                options = null;
                return false;
            }
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or UriFormatException or OverflowException)
        {
            error = ex.Message;
            return false;
        }
    }
}
