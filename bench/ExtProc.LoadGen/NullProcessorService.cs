using AiSidecar.ExtProc.Bench;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>The floor: answers every message with the empty reply of the matching kind and does nothing else.</summary>
internal sealed class NullProcessorService : ExternalProcessor.ExternalProcessorBase
{
    public override async Task Process(
        IAsyncStreamReader<ProcessingRequest> requestStream,
        IServerStreamWriter<ProcessingResponse> responseStream,
        ServerCallContext context)
    {
        try
        {
            while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(EnvoyMessages.EmptyReply(requestStream.Current), context.CancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // A reset stream is a normal end, as for the real server.
        }
    }
}
