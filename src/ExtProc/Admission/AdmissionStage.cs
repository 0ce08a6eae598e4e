using System.Globalization;
using AiSidecar.ExtProc.Admission.Breaker;
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
/// and <c>retry-after</c> — except critical requests, which go to the first saturated pool that lets them in. 503 when
/// every pool looked at is unavailable (GPUs, endpoints, or an open circuit breaker). A pool is entered only with its
/// breaker's permit. Requests whose pool is not monitored (no <c>engine</c>, no <c>gpus</c>) and whose model has no
/// overflow meet only the breaker. docs/admission.md.
/// </summary>
internal sealed class AdmissionStage(
    IPoolLoadSource source,
    PoolDurations durations,
    PoolStaleness staleness,
    PoolBreakers breakers,
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

    /// <summary>The verdict of a pool whose circuit breaker is open (or, half-open, has no probe left).</summary>
    private const string BreakerOpen = "breaker_open";

    private readonly TimeSpan _staleAfter = TimeSpan.FromMilliseconds(options.Value.StaleAfterMs);

    public int Order => StageOrder.Admission;

    public string Name => "admission";

    public ValueTask<StageResult> ProcessAsync(Exchange exchange)
    {
        if (exchange.Synthetic)
        {
            return ValueTask.FromResult(StageResult.Continue);
        }

        var span = ExtProcTelemetry.StartStage(exchange, "extproc.admission");
        var result = Admit(exchange);
        ExtProcTelemetry.Admitted(span, exchange.Admission, exchange.Decision?.Pool);
        return ValueTask.FromResult(result);
    }

    private StageResult Admit(Exchange exchange)
    {
        var decision = exchange.Decision!;
        var catalog = exchange.Table.Catalog;
        var model = exchange.Model;
        var overflow = model?.Overflow ?? [];
        var pool = catalog.Pools.GetValueOrDefault(decision.Pool);
        if (pool is not ({ Engine: not null } or { Gpus: not null }) && overflow.Count == 0)
        {
            // Not monitored, nowhere to overflow: only the pool's breaker can refuse it.
            return breakers.TryEnter(decision.Pool, exchange) != BreakerPermit.Refused ? StageResult.Continue
                : Refuse(exchange, [new PoolVerdict(decision.Pool, PoolFit.Unavailable, BreakerOpen)], exchange.Priority, Demand(exchange, model), model);
        }

        var priority = exchange.Priority;
        var demand = Demand(exchange, model);
        var now = time.GetUtcNow();
        var verdicts = new List<PoolVerdict>(1 + overflow.Count);
        if (TryPool(exchange, pool, decision.Pool, demand, now, verdicts) is { } primary)
        {
            return Admitted(exchange, "admitted", primary, verdicts, priority, demand, model);
        }

        if (priority != RequestPriority.Sheddable)
        {
            foreach (var target in overflow)
            {
                if (TryPool(exchange, catalog.Pools[target.Pool], target.Pool, demand, now, verdicts) is { } spare)
                {
                    Overflow(exchange, target);
                    metrics.AdmissionOverflowed(decision.Pool, target.Pool);
                    return Admitted(exchange, "overflowed", spare, verdicts, priority, demand, model);
                }
            }
        }

        if (priority == RequestPriority.Critical)
        {
            // Critical traffic queues at an engine rather than being shed: the first saturated pool that lets it in.
            foreach (var open in verdicts.Where(v => v.Fit == PoolFit.Saturated))
            {
                if (breakers.TryEnter(open.Pool, exchange) == BreakerPermit.Refused)
                {
                    continue;
                }

                if (open.Pool != decision.Pool)
                {
                    Overflow(exchange, overflow.First(o => o.Pool == open.Pool));
                    metrics.AdmissionOverflowed(decision.Pool, open.Pool);
                }

                return Admitted(exchange, open.Pool == decision.Pool ? "admitted" : "overflowed", open, verdicts, priority, demand, model);
            }
        }

        return Refuse(exchange, verdicts, priority, demand, model);
    }

    /// <summary>
    /// Judges one pool and, when it has headroom, takes its breaker's permit: the verdict to admit on, or null (the
    /// verdict, breaker_open when the breaker refused, is added to <paramref name="verdicts"/> either way).
    /// </summary>
    private PoolVerdict? TryPool(Exchange exchange, PoolOptions? pool, string name, long demand, DateTimeOffset now, List<PoolVerdict> verdicts)
    {
        var verdict = breakers.StateOf(name) == BreakerState.Open
            ? new PoolVerdict(name, PoolFit.Unavailable, BreakerOpen)
            : Assess(pool, name, demand, now);
        if (verdict.HasHeadroom && breakers.TryEnter(name, exchange) == BreakerPermit.Refused)
        {
            verdict = verdict with { Fit = PoolFit.Unavailable, Reason = BreakerOpen };
        }

        verdicts.Add(verdict);
        return verdict.HasHeadroom ? verdict : null;
    }

    /// <summary>429 when some pool is only saturated, 503 when every one is unavailable; <c>retry-after</c> from the soonest drain.</summary>
    private StageResult Refuse(Exchange exchange, List<PoolVerdict> verdicts, RequestPriority priority, long demand, CatalogModel? model)
    {
        var catalog = exchange.Table.Catalog;
        var unavailable = verdicts.TrueForAll(v => v.Fit == PoolFit.Unavailable);
        var retryAfter = verdicts.Min(v => DrainTime(v, catalog.Pools.GetValueOrDefault(v.Pool)));
        var reason = verdicts[0].Reason;
        exchange.Admission = new AdmissionOutcome(unavailable ? "unavailable" : "shed", reason, priority, demand, DemandBytes(demand, model), verdicts, retryAfter);
        metrics.AdmissionDecided(verdicts[0].Pool, priority, exchange.Admission.Decision, reason);
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
        metrics.AdmissionDecided(verdict.Pool, priority, how, verdict.Reason);
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
            BreakerOpen => breakers.OpenFor(verdict.Pool).TotalSeconds,
            _ => mean,
        };
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 1, MaxRetryAfter.TotalSeconds));
    }
}
