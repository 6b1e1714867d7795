namespace PushServer.SocketIO; internal static class Placeholder { }
