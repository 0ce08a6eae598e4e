namespace AiSidecar.ExtProc.Pipeline;

/// <summary>
/// The request path, in order. Each stage declares its place with one of these; a new stage takes a number between
/// its neighbours (the gaps are there for that). docs/architecture.md shows the list and how to add a stage.
/// </summary>
internal static class StageOrder
{
    /// <summary>A large body waits for room in the memory budget (or 503) before anything parses it.</summary>
    public const int BodyBudget = 50;

    /// <summary>With <c>telemetry.recordContent</c> only: the request body on the exchange span.</summary>
    public const int TraceContent = 60;

    /// <summary>Body → <see cref="Exchange.Request"/> (or 400).</summary>
    public const int Inspect = 100;

    /// <summary>Model name → catalogue model, unknown-model policy, API and conversion checks (404 / 400).</summary>
    public const int Resolve = 200;

    /// <summary>Experiment → sticky bucket → primary: the version of a model with versions.</summary>
    public const int Select = 300;

    /// <summary>The request's priority class: the priority header from trusted callers, else the tenant map, else the default.</summary>
    public const int Prioritize = 350;

    /// <summary>Served name or completions → chat: the body and path the version's server reads.</summary>
    public const int Rewrite = 400;

    /// <summary>The response cache: a deterministic request answered from Redis (before count, budgets and admission: a hit costs none of them), or marked to store its response.</summary>
    public const int Cache = 450;

    /// <summary>Prompt tokens with the version's (or model's) tokenizer and chat template.</summary>
    public const int Count = 500;

    /// <summary>Token range → range name; pool from the version, else the range: the decision.</summary>
    public const int Route = 600;

    /// <summary>Token budgets: the prompt plus <c>max_tokens</c> reserved in the tenant's counters, or 429 (before admission, so a tenant over budget takes no pool's capacity).</summary>
    public const int Budget = 650;

    /// <summary>Live load (GPU agents, engine metrics, breakers) against the request's demand: admit, overflow, shed (429) or 503.</summary>
    public const int Admission = 700;

    /// <summary>Usage: what the response is read for, and <c>stream_options.include_usage</c> injected where the model asks (the body is final after admission).</summary>
    public const int Usage = 750;

    /// <summary>Coalescing: the request joins a batch its pool's upstream answers (the pool and body are final after admission).</summary>
    public const int Coalesce = 800;
}
