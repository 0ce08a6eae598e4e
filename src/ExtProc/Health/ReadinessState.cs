namespace AiSidecar.ExtProc.Health;

/// <summary>Whether the server takes new work: ready once warmed up, not ready again as soon as shutdown starts.</summary>
internal sealed class ReadinessState
{
    private volatile bool _warm;
    private volatile bool _draining;

    /// <summary>True when warmed up and not draining.</summary>
    public bool IsReady => _warm && !_draining;

    /// <summary>True once shutdown has begun.</summary>
    public bool IsDraining => _draining;

    /// <summary>The tokenizer that was warmed up, for the readiness detail.</summary>
    public string? Tokenizer { get; private set; }

    internal void MarkWarm(string tokenizer)
    {
        Tokenizer = tokenizer;
        _warm = true;
    }

    internal void MarkDraining() => _draining = true;
}
