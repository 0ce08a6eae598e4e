using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Pipeline;

/// <summary>Inspect → count → decide for one complete request body.</summary>
public interface IInferencePipeline
{
    /// <summary>Runs the pipeline over a complete body sent to <paramref name="kind"/>.</summary>
    PipelineOutcome Run(ApiKind kind, ReadOnlyMemory<byte> body);
}
