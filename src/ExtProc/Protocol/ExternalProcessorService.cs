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
                catch (Exception ex) when (IsStreamEnd(ex, cancellation))
                {
                    // Cut while a message was being handled (a stage may have been holding it): Envoy's timeout, the
                    // client gone, or the server shutting down.
                    ending = services.Stopping.IsCancellationRequested ? ExchangeEnding.Shutdown : ExchangeEnding.Reset;
                    ProtocolLog.StreamEnded(services.Logger, ex.GetType().Name);
                    return;
                }
                catch (Exception ex)
                {
                    ProtocolLog.ProcessingFailed(services.Logger, ex, message.RequestCase.ToString());
                    await stream.FailAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (Exception ex) when (IsStreamEnd(ex, cancellation))
        {
            // Between messages: Envoy resets streams as a matter of course once it needs nothing more (before 1.37 it
            // half-closes, then resets), so only a shutdown makes this anything but a completed exchange.
            ending = services.Stopping.IsCancellationRequested ? ExchangeEnding.Shutdown : ExchangeEnding.Completed;
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
