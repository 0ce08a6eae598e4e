using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>The body of a scripted ext_proc <c>Process</c> call.</summary>
internal delegate Task ProcessHandler(
    IAsyncStreamReader<ProcessingRequest> requests, IServerStreamWriter<ProcessingResponse> responses, ServerCallContext context);
