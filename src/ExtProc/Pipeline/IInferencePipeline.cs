using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Pipeline;

/// <summary>Inspect → count → decide for one complete request body.</summary>
public interface IInferencePipeline
{
    /// <summary>Runs the pipeline over a complete body sent to <paramref name="kind"/>, on the current routing table, without request headers.</summary>
    PipelineOutcome Run(ApiKind kind, ReadOnlyMemory<byte> body);

    /// <summary>Runs the pipeline over a complete body with the request's context (path, headers, routing table).</summary>
    PipelineOutcome Run(RequestContext context, ReadOnlyMemory<byte> body);
}
