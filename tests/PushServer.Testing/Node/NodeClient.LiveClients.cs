namespace PushServer.Testing;

public sealed partial class NodeClient
{
    /// <summary>
    /// Drivers not yet disposed. A last line of defence: if the test host leaves without
    /// disposing one (a test that forgot <c>await using</c>), it is killed on the way out.
    /// Drivers also exit by themselves when their stdin closes, i.e. when the host dies.
    /// </summary>
    private static class LiveClients
    {
        private static readonly HashSet<NodeClient> s_clients = [];

        static LiveClients()
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                NodeClient[] clients;
                lock (s_clients)
                {
                    clients = [.. s_clients];
                }

                foreach (var client in clients)
                {
                    client.Kill();
                }
            };
        }

        public static void Add(NodeClient client)
        {
            lock (s_clients)
            {
                s_clients.Add(client);
            }
        }

        public static void Remove(NodeClient client)
        {
            lock (s_clients)
            {
                s_clients.Remove(client);
            }
        }
    }
}
