// An ASP.NET Core service with a PoolGen pool: /orders uses it, /health, /metrics and /pools watch it.
// Run it with: dotnet run --project samples/PoolGen.WebSample   (then open http://127.0.0.1:5080/pools)
using PoolGen.WebSample;

await WebSampleApp.Build(args).RunAsync();
