using BenchmarkDotNet.Running;

// Micro-benchmarks of the codecs and the broadcast path, with allocations per operation ([MemoryDiagnoser]).
//   dotnet run -c Release --project bench/PushServer.MicroBenchmarks -- --filter '*'
//   dotnet run -c Release --project bench/PushServer.MicroBenchmarks -- --filter '*Broadcast*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
