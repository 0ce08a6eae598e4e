using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>Routes the ext_proc RPC to the test's <see cref="ProcessHandler"/>.</summary>
internal sealed class ScriptedProcessor(ProcessHandler handler) : ExternalProcessor.ExternalProcessorBase
{
    public override Task Process(
        IAsyncStreamReader<ProcessingRequest> requestStream, IServerStreamWriter<ProcessingResponse> responseStream, ServerCallContext context) =>
        handler(requestStream, responseStream, context);
}
