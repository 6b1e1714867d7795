global using PushServer.Testing;
