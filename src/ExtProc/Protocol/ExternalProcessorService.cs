using AiSidecar.ExtProc.Pipeline;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>Envoy's ExternalProcessor service: one <see cref="ProcessingStream"/> per gRPC stream, its exchange ended with the stream.</summary>
internal sealed class ExternalProcessorService(ProcessingServices services) : ExternalProcessor.ExternalProcessorBase
{
    public override async Task Process(
        IAsyncStreamReader<ProcessingRequest> requestStream,
        IServerStreamWriter<ProcessingResponse> responseStream,
        ServerCallContext context)
    {
        var cancellation = context.CancellationToken;
        var stream = new ProcessingStream(responseStream, services, cancellation);
        var ending = ExchangeEnding.Completed;
        services.Metrics.StreamOpened();
        try
        {
            while (await requestStream.MoveNext(cancellation).ConfigureAwait(false))
            {
                var message = requestStream.Current;
                try
                {
                    if (!await stream.HandleAsync(message).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                catch (Exception ex) when (!IsStreamEnd(ex, cancellation))
                {
                    ProtocolLog.ProcessingFailed(services.Logger, ex, message.RequestCase.ToString());
                    await stream.FailAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (Exception ex) when (IsStreamEnd(ex, cancellation))
        {
            // Envoy resets or cancels streams as a matter of course (timeouts, client gone, filter destroyed).
            ending = services.Stopping.IsCancellationRequested ? ExchangeEnding.Shutdown : ExchangeEnding.Reset;
            ProtocolLog.StreamEnded(services.Logger, ex.GetType().Name);
        }
        finally
        {
            await stream.EndAsync(ending).ConfigureAwait(false);
            services.Metrics.StreamClosed();
        }
    }

    private static bool IsStreamEnd(Exception ex, CancellationToken cancellation) =>
        ex is OperationCanceledException or IOException
        || ex is RpcException { StatusCode: StatusCode.Cancelled }
        || (ex is InvalidOperationException && cancellation.IsCancellationRequested);
}
