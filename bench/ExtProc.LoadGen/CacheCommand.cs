using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AiSidecar.ExtProc.Admission.Priority;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Redis;
using AiSidecar.ExtProc.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// <c>cache</c>: the cache hit path at a fixed rate against a Redis (docs/benchmarks.md, "Token budgets and the response cache"): the server's
/// own request stages (inspect, resolve, select, prioritize, rewrite, then the cache stage's canonical hash, Redis
/// <c>GET</c> on its <see cref="RedisConnection"/> and the answer: the stored JSON, or every other request replayed as
/// SSE) over a new exchange per request, open loop. A first pass stores one entry per distinct request (a miss whose
/// answer is stored as the server stores it; the run's keys are its own); then every measured request is a hit. Prints the latency's quantiles.
/// </summary>
internal static class CacheCommand
{
    /// <summary>
    /// <c>cache --redis HOST:PORT [--rate 500] [--duration 20] [--warmup 3] [--distinct 256] [--tenants 64] [--local-max-bytes 0] [--control]</c>
    /// (<see cref="RedisBench"/>); with <c>--local-max-bytes</c> above 0 the hits are answered from the local copies (no Redis).
    /// </summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        await using var bench = await RedisBench.StartAsync(args,
            o => $"cache:\n  enabled: true\n  localMaxBytes: {o.LocalMaxBytes.ToString(CultureInfo.InvariantCulture)}\n", s => s.AddResponseCache()).ConfigureAwait(false);
        var (services, distinct, tenants) = (bench.Services, bench.Settings.Distinct, bench.Settings.Tenants);
        var pipeline = services.GetRequiredService<ExchangePipeline>();
        var tables = services.GetRequiredService<IRoutingTableSource>();
        var exchanges = services.GetRequiredService<ExchangeServices>();
        var keys = Enumerable.Range(0, tenants).Select(t => ApiKeyHash.Of($"Bearer sk-bench-{t}")).ToArray();
        var bodies = Enumerable.Range(0, distinct).Select(i => (Plain: Body(i, stream: false), Streamed: Body(i, stream: true))).ToArray();

        Exchange NewExchange(long n, bool stream) => new(tables.Current, new RequestHead { Method = "POST", Path = "/v1/chat/completions", ApiKeyHash = keys[n % distinct % tenants] },
            exchanges, CancellationToken.None)
        { Api = ApiKind.ChatCompletions, Body = stream ? bodies[n % distinct].Streamed : bodies[n % distinct].Plain };

        // One miss per distinct request, its answer stored as the server stores a coalesced answer (the same writer).
        for (var i = 0; i < distinct; i++)
        {
            await using var exchange = NewExchange(i, stream: false);
            var result = await pipeline.RunRequestAsync(exchange).ConfigureAwait(false);
            if (!result.IsContinue || exchange.CacheWrite is not { } write)
            {
                throw new InvalidOperationException($"request {i} of the first pass was not a cacheable miss");
            }

            await write.StoreAnsweredAsync(Answer(i)).ConfigureAwait(false);
        }

        return await bench.MeasureAsync("cache hits (the request stages through the cache stage)", async n =>
        {
            await using var exchange = NewExchange(n, stream: n / distinct % 2 == 1);
            var started = Stopwatch.GetTimestamp();
            var result = await pipeline.RunRequestAsync(exchange).ConfigureAwait(false);
            var elapsed = Stopwatch.GetTimestamp() - started;
            return result.Response?.Kind == "cache_hit" ? elapsed : null;
        }).ConfigureAwait(false);
    }

    /// <summary>Request <paramref name="i"/>: a deterministic chat request of about 1 KB.</summary>
    private static byte[] Body(int i, bool stream) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["model"] = "qwen3-8b",
        ["messages"] = new object[]
        {
            new { role = "system", content = "You are a careful assistant. Answer in one short paragraph, citing the relevant rule when there is one, and say so plainly when you do not know." },
            new { role = "user", content = $"Question {i}: " + string.Concat(Enumerable.Repeat("what does the cache key cover, and which fields are left out of it? ", 10)) },
        },
        ["temperature"] = 0,
        ["max_tokens"] = 256,
        ["stream"] = stream,
    });

    /// <summary>The stored answer to request <paramref name="i"/>: a vLLM chat completion of about 1 KB.</summary>
    private static byte[] Answer(int i) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        id = $"chatcmpl-{i}",
        @object = "chat.completion",
        created = 1764504000,
        model = "Qwen/Qwen3-8B",
        choices = new[]
        {
            new
            {
                index = 0,
                message = new { role = "assistant", content = string.Concat(Enumerable.Repeat("The key covers the tenant, the model version and every field that changes the answer. ", 11)) },
                finish_reason = "stop",
            },
        },
        usage = new { prompt_tokens = 180, completion_tokens = 190, total_tokens = 370 },
    });
}
