namespace AiSidecar.ExtProc.Pipeline;

/// <summary>
/// One step of the response path: sees the upstream response's headers and, when it asks for it in
/// <see cref="OnResponseHeadersAsync"/> (<see cref="ExchangeResponse.ReadBody"/>), the response body, buffered or
/// chunk by chunk. Runs for every exchange whose request went upstream.
/// </summary>
internal interface IResponseStage
{
    /// <summary>The stage's place in the response path; lower runs first.</summary>
    int Order { get; }

    /// <summary>The response headers arrived (<see cref="Exchange.Response"/>).</summary>
    ValueTask OnResponseHeadersAsync(Exchange exchange);

    /// <summary>A response body chunk arrived (the whole body in BUFFERED mode); only after a stage asked for the body.</summary>
    ValueTask OnResponseBodyAsync(Exchange exchange, ResponseBodyChunk chunk) => ValueTask.CompletedTask;
}
