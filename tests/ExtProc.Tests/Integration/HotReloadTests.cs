using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Tests.Configuration;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using AiSidecar.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>The config file is swapped while the server runs.</summary>
public sealed class HotReloadTests(ITestOutputHelper output)
{
    private static IRoutingTableSource Tables(TestExtProcServer server) => server.App.Services.GetRequiredService<IRoutingTableSource>();

    private static void Swap(TestExtProcServer server, string yaml)
    {
        File.WriteAllText(server.ConfigPath, yaml);
        Assert.Equal(ReloadResult.Reloaded, server.App.Services.GetRequiredService<ConfigReloader>().CheckForChanges());
    }

    private static Task<ExchangeResult> ChatAsync(TestExtProcServer server, string user) =>
        server.Client().RunAsync(HttpExchange.For(TrafficExamples.Post("/v1/chat/completions", InferenceBodies.Chat("hi", "qwen3-8b"), ("x-user-id", user))));

    [Fact]
    public async Task Process_ConfigSwappedBetweenHeadersAndBody_RequestFinishesOnTheConfigItStartedWith()
    {
        await using var server = await TestExtProcServer.StartAsync(ConfigReloaderTests.Yaml("100", "0"));
        using var call = new ExternalProcessor.ExternalProcessorClient(server.Channel).Process();
        await call.RequestStream.WriteAsync(RawExtProc.Headers("POST", "/v1/chat/completions", endOfStream: false));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        Swap(server, ConfigReloaderTests.Yaml("0", "100"));
        await call.RequestStream.WriteAsync(new ProcessingRequest
        {
            RequestBody = new HttpBody { Body = ByteString.CopyFromUtf8(InferenceBodies.Chat("hi", "qwen3-8b")), EndOfStream = true },
        });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var set = call.ResponseStream.Current.RequestBody.Response.HeaderMutation.SetHeaders.ToDictionary(h => h.Header.Key, h => h.Header.RawValue.ToStringUtf8());
        Assert.Equal(("v1", "pool-a"), (set["x-ai-version"], set["x-ai-pool"]));
        var next = await ChatAsync(server, "u");
        Assert.Equal(("v2", "pool-b"), (next.Forwarded!.Headers["x-ai-version"], next.Forwarded.Headers["x-ai-pool"]));
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task Process_ConfigSwapped100TimesUnderLoad_NoRequestFails()
    {
        await using var server = await TestExtProcServer.StartAsync(ConfigReloaderTests.Yaml("90", "10"));
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var completed = 0;

        async Task WorkerAsync(int worker)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var result = await ChatAsync(server, $"user-{worker}-{i}");
                var headers = result.Forwarded?.Headers;
                if (headers is null || headers["x-ai-pool"] is not ("pool-a" or "pool-b") || headers["x-ai-version"] is not ("v1" or "v2"))
                {
                    lock (failures)
                    {
                        failures.Add(result.ToString());
                    }
                }

                Interlocked.Increment(ref completed);
            }
        }

        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(() => WorkerAsync(w))).ToList();
        for (var swap = 1; swap <= 100; swap++)
        {
            var canary = (swap % 10 * 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var stable = (100 - (swap % 10 * 10)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var before = Volatile.Read(ref completed);
            Swap(server, ConfigReloaderTests.Yaml(stable, canary) + $"\n# swap {swap}\n");
            await Until.TrueAsync(() => Volatile.Read(ref completed) > before, $"a request to complete after swap {swap}");
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);

        output.WriteLine($"{completed} requests completed during 100 config swaps, {failures.Count} failed.");
        Assert.Empty(failures);
        Assert.True(completed >= 100, $"only {completed} requests ran during the swaps"); // At least one after each swap.
        Assert.Equal(101, Tables(server).Current.Generation);
    }

    [Fact]
    public async Task Process_FileChangedWithPolling_IsPickedUpWithoutACall()
    {
        var yaml = ConfigReloaderTests.Yaml("100", "0").Replace("reloadCheckSeconds: 0", "reloadCheckSeconds: 1", StringComparison.Ordinal);
        var time = new FakeTimeProvider();
        await using var server = await TestExtProcServer.StartAsync(yaml, s => s.AddSingleton<TimeProvider>(time));

        await File.WriteAllTextAsync(server.ConfigPath, yaml.Replace("weight: 100", "weight: 50", StringComparison.Ordinal).Replace("weight: 0,", "weight: 50,", StringComparison.Ordinal));
        time.Advance(TimeSpan.FromMilliseconds(999));
        var beforeTheCheck = Tables(server).Current.Generation;
        time.Advance(TimeSpan.FromMilliseconds(1)); // The check runs on the timer, inside Advance.

        Assert.Equal((1, 2), (beforeTheCheck, Tables(server).Current.Generation));
        var metrics = await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("extproc_config_reloads_total{result=\"success\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("extproc_config_generation 2", metrics, StringComparison.Ordinal);
    }
}
