namespace AiSidecar.EngineSimulator;

/// <summary>How the simulated engine schedules its GPU.</summary>
public enum SimulatorMode
{
    /// <summary>
    /// One request at a time, its inputs one GPU batch (a naive model server): a request's cost is the request cost
    /// plus its batch, and the next request waits until it is done.
    /// </summary>
    Serial,

    /// <summary>
    /// Requests queue after their own request cost (paid in parallel, on the CPU); a scheduler forms each GPU batch of
    /// every ready input in arrival order up to the batch limits, as TEI's and vLLM's continuous batching does.
    /// </summary>
    Batching,
}
