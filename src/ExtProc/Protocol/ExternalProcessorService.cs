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
        using var idle = StreamIdleTimer.Start(services.StreamIdleTimeout, services.Time, cancellation);
        var stream = new ProcessingStream(responseStream, services, cancellation);
        var ending = ExchangeEnding.Completed;
        services.Metrics.StreamOpened();
        services.Streams.Opened();
        try
        {
            while (await MoveNextAsync(requestStream, stream, idle, services.Logger, cancellation).ConfigureAwait(false))
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
                catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
                {
                    // A message no Envoy sends (ProcessingStream says so): the peer gets the status and its detail.
                    ending = ExchangeEnding.Failed;
                    ProtocolLog.InvalidMessage(services.Logger, ex.Status.Detail);
                    throw;
                }
                catch (OutOfMemoryException)
                {
                    ProtocolLog.OutOfMemory(services.Logger, message.RequestCase.ToString());
                    await AnswerFailureAsync(stream, outOfMemory: true, cancellation).ConfigureAwait(false);
                    return;
                }
                catch (Exception ex)
                {
                    ProtocolLog.ProcessingFailed(services.Logger, ex, message.RequestCase.ToString());
                    await AnswerFailureAsync(stream, outOfMemory: false, cancellation).ConfigureAwait(false);
                    return;
                }
            }

            if (idle.Expired)
            {
                // Not status OK: that would tell Envoy to go on without the server (fail open).
                ending = ExchangeEnding.Idle;
                ProtocolLog.StreamIdle(services.Logger, services.StreamIdleTimeout.TotalSeconds);
                throw new RpcException(new Status(StatusCode.DeadlineExceeded, FormattableString.Invariant(
                    $"No ext_proc message for {services.StreamIdleTimeout.TotalSeconds} s (processing.streamIdleTimeoutSeconds).")));
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
            services.Streams.Closed();
        }
    }

    /// <summary>
    /// The next message. One that cannot be read is answered, when it can be (it is then the request body), rather
    /// than left to end the stream with a gRPC error (a 500 from Envoy): over the gRPC receive limit as the body too
    /// large (413) it is, and memory running out while it is parsed as 503 with <c>retry-after</c>.
    /// </summary>
    /// <returns>False at the end of the stream, after an unread message was answered, or when the idle timer expired.</returns>
    private static async ValueTask<bool> MoveNextAsync(
        IAsyncStreamReader<ProcessingRequest> requestStream, ProcessingStream stream, StreamIdleTimer idle, ILogger logger, CancellationToken cancellation)
    {
        idle.Arm();
        try
        {
            return await requestStream.MoveNext(idle.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (idle.Expired && !cancellation.IsCancellationRequested && IsStreamEnd(ex, idle.Token))
        {
            return false;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted && stream.CanAnswerUnreadMessage)
        {
            await stream.AnswerOversizedAsync().ConfigureAwait(false);
            return false;
        }
        catch (OutOfMemoryException) when (stream.CanAnswerUnreadMessage)
        {
            ProtocolLog.OutOfMemory(logger, "unread");
            await AnswerFailureAsync(stream, outOfMemory: true, cancellation).ConfigureAwait(false);
            return false;
        }
        finally
        {
            idle.Disarm();
        }
    }

    /// <summary>An unexpected fault gets a JSON error (503 when memory ran out: retrying later can succeed), unless the stream is gone already.</summary>
    private static async ValueTask AnswerFailureAsync(ProcessingStream stream, bool outOfMemory, CancellationToken cancellation)
    {
        try
        {
            await stream.FailAsync(outOfMemory).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStreamEnd(ex, cancellation))
        {
            // Nobody is left to answer.
        }
    }

    private static bool IsStreamEnd(Exception ex, CancellationToken cancellation) =>
        ex is OperationCanceledException or IOException
        || ex is RpcException { StatusCode: StatusCode.Cancelled }
        || (ex is InvalidOperationException && cancellation.IsCancellationRequested);
}
