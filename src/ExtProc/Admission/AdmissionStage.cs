using System.Globalization;
using AiSidecar.ExtProc.Admission.Priority;
using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Rewrite;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Admission;

/// <summary>
/// After routing: can the chosen pool take the request now? Admit to it; else overflow to the model's first
/// <c>overflow</c> pool with headroom (not for sheddable requests), under that pool's served name; else shed with 429
/// and <c>retry-after</c> — except critical requests, which go to the first pool that is not unavailable. 503 when
/// every pool looked at is unavailable. Requests whose pool is not monitored (no <c>engine</c>, no <c>gpus</c>) and
/// whose model has no overflow pass untouched. docs/admission.md.
/// </summary>
internal sealed class AdmissionStage(
    IPoolLoadSource source,
    PoolDurations durations,
    PoolStaleness staleness,
    IOptions<AdmissionOptions> options,
    TimeProvider time,
    ExtProcMetrics metrics) : IRequestStage
{
    /// <summary>The lease that times an admitted request (<c>extproc_exchange_leases{kind}</c>).</summary>
    public const string LeaseKind = "admission";

    /// <summary>The response header that says why a request was shed (or found no healthy endpoint).</summary>
    public const string ReasonHeader = "x-ai-admission-reason";

    /// <summary>The longest <c>retry-after</c>: OpenAI's clients still retry a 429 that asks for no more.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(120);

    private readonly TimeSpan _staleAfter = TimeSpan.FromMilliseconds(options.Value.StaleAfterMs);

    public int Order => StageOrder.Admission;

    public string Name => "admission";

    public ValueTask<StageResult> ProcessAsync(Exchange exchange) => ValueTask.FromResult(Admit(exchange));

    private StageResult Admit(Exchange exchange)
    {
        var decision = exchange.Decision!;
        var catalog = exchange.Table.Catalog;
        var model = exchange.Model;
        var overflow = model?.Overflow ?? [];
        if ((!catalog.Pools.TryGetValue(decision.Pool, out var pool) || pool is { Engine: null, Gpus: null }) && overflow.Count == 0)
        {
            return StageResult.Continue;
        }

        var priority = RequestPriority.Standard;
        var demand = Demand(exchange, model);
        var now = time.GetUtcNow();
        var verdicts = new List<PoolVerdict>(1 + overflow.Count) { Assess(pool, decision.Pool, demand, now) };
        if (verdicts[0].HasHeadroom)
        {
            return Admitted(exchange, "admitted", verdicts[0], verdicts, priority, demand, model);
        }

        if (priority != RequestPriority.Sheddable)
        {
            foreach (var target in overflow)
            {
                var verdict = Assess(catalog.Pools[target.Pool], target.Pool, demand, now);
                verdicts.Add(verdict);
                if (verdict.HasHeadroom)
                {
                    Overflow(exchange, target);
                    metrics.AdmissionOverflowed(decision.Pool, target.Pool);
                    return Admitted(exchange, "overflowed", verdict, verdicts, priority, demand, model);
                }
            }
        }

        if (priority == RequestPriority.Critical && verdicts.FirstOrDefault(v => v.Fit != PoolFit.Unavailable) is { } open)
        {
            // Critical traffic queues at the engine rather than being shed.
            if (open.Pool != decision.Pool)
            {
                Overflow(exchange, overflow.First(o => o.Pool == open.Pool));
                metrics.AdmissionOverflowed(decision.Pool, open.Pool);
            }

            return Admitted(exchange, open.Pool == decision.Pool ? "admitted" : "overflowed", open, verdicts, priority, demand, model);
        }

        var unavailable = verdicts.TrueForAll(v => v.Fit == PoolFit.Unavailable);
        var retryAfter = verdicts.Min(v => DrainTime(v, catalog.Pools.GetValueOrDefault(v.Pool)));
        var reason = verdicts[0].Reason;
        exchange.Admission = new AdmissionOutcome(unavailable ? "unavailable" : "shed", reason, priority, demand, DemandBytes(demand, model), verdicts, retryAfter);
        metrics.Admission(decision.Pool, priority, exchange.Admission.Decision, reason);
        var error = unavailable ? ApiErrors.NoHealthyEndpoint() : ApiErrors.Shed();
        return StageResult.Respond(LocalResponse.FromError(error,
            new("retry-after", Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
            new("retry-after-ms", Math.Round(retryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)),
            new(ReasonHeader, reason)));
    }

    /// <summary>The KV-cache tokens the request may take: its prompt, plus the output it may generate (generating APIs only).</summary>
    private static long Demand(Exchange exchange, CatalogModel? model)
    {
        long prompt = exchange.PromptTokens ?? 0;
        var request = exchange.UpstreamRequest ?? exchange.Request!;
        return request.Kind is ApiKind.Embeddings or ApiKind.Rerank
            ? prompt
            : prompt + (request.MaxTokens ?? model?.DefaultMaxTokens ?? ModelOptions.StandardMaxTokens);
    }

    private static long? DemandBytes(long demand, CatalogModel? model) => model is { KvBytesPerToken: > 0 } m ? demand * m.KvBytesPerToken : null;

    private PoolVerdict Assess(PoolOptions? pool, string name, long demand, DateTimeOffset now)
    {
        if (pool is null)
        {
            return new PoolVerdict(name, PoolFit.Headroom, "unmonitored");
        }

        var verdict = PoolAssessment.Assess(pool, source.Read(pool), demand, _staleAfter, now);
        if (pool.Engine is not null || pool.Gpus is not null)
        {
            staleness.Observe(name, verdict);
        }

        return verdict;
    }

    private StageResult Admitted(Exchange exchange, string how, PoolVerdict verdict, List<PoolVerdict> verdicts, RequestPriority priority, long demand, CatalogModel? model)
    {
        exchange.Admission = new AdmissionOutcome(how, verdict.Reason, priority, demand, DemandBytes(demand, model), verdicts);
        metrics.Admission(verdict.Pool, priority, how, verdict.Reason);
        exchange.AddLease(LeaseKind, durations.Start(verdict.Pool));
        return StageResult.Continue;
    }

    /// <summary>Sends the request to <paramref name="target"/> under that pool's served name: the decision and the body change.</summary>
    private static void Overflow(Exchange exchange, ModelOverflowOptions target)
    {
        var decision = exchange.Decision!;
        var served = target.ServedModel ?? decision.ServedModel ?? exchange.Request!.Model;
        RewriteStage.Apply(exchange, served);
        exchange.Decision = decision with { Pool = target.Pool, ServedModel = served, OverflowFrom = decision.Pool };
    }

    /// <summary>
    /// How long until the pool can likely take the request: the excess queue drained at the pool's completion rate
    /// (running requests per mean duration), the KV cache freed at the rate its requests finish, the telemetry's
    /// staleness limit, or one mean duration when it is unavailable. 1 to 120 s.
    /// </summary>
    private TimeSpan DrainTime(PoolVerdict verdict, PoolOptions? pool)
    {
        var mean = durations.MeanOf(verdict.Pool).TotalSeconds;
        var seconds = verdict.Reason switch
        {
            "queue" when verdict.WaitingPerEndpoint is { } waiting && pool is not null =>
                (waiting - pool.Admission.MaxWaitingPerEndpoint + 1) * mean / Math.Max(1, verdict.RunningPerEndpoint ?? 1),
            "kv_cache" when verdict.KvUsageWithDemand is { } after && pool is not null =>
                (after - pool.Admission.MaxKvUsage) / Math.Max(0.01, verdict.KvUsage ?? 0.01) * mean,
            "stale_telemetry" => _staleAfter.TotalSeconds,
            _ => mean,
        };
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 1, MaxRetryAfter.TotalSeconds));
    }
}
