namespace AiSidecar.ExtProc.Pipeline;

/// <summary>
/// One step of the request path. Stages run in <see cref="Order"/> once the request body is complete; each reads and
/// writes the <see cref="Exchange"/> and continues, rejects or responds. A stage may await (hold the request): it
/// passes <see cref="Exchange.HoldCancellation"/> to what it awaits, which fires at the exchange's deadline or when
/// the stream ends.
/// </summary>
internal interface IRequestStage
{
    /// <summary>The stage's place in the request path (<see cref="StageOrder"/>); lower runs first.</summary>
    int Order { get; }

    /// <summary>A short name for logs and traces.</summary>
    string Name { get; }

    /// <summary>Runs the stage; complete synchronously when there is nothing to wait for.</summary>
    ValueTask<StageResult> ProcessAsync(Exchange exchange);
}
