global using System.Net;
global using System.Net.Http.Json;
global using System.Text;
global using System.Text.Json;
global using PushServer.Tests.Infrastructure;
global using PushServer.Testing;
