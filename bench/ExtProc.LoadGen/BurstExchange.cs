using AiSidecar.ExtProc.Bench;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// One exchange as Envoy runs it in BUFFERED mode, with Envoy's <c>message_timeout</c>: a message not answered in
/// time resets the stream (Envoy then answers 504). The outcome is what the downstream client would get.
/// </summary>
internal static class BurstExchange
{
    /// <summary>
    /// <c>routed</c>, <c>local_NNN</c> (the server's ImmediateResponse), <c>timeout_504</c> (Envoy's timer), or
    /// <c>grpc_CODE</c> (the stream failed: a 500 from Envoy).
    /// </summary>
    public static async Task<string> RunAsync(ExternalProcessor.ExternalProcessorClient client, byte[] body, TimeSpan messageTimeout)
    {
        var messages = EnvoyMessages.Create(body);
        using var call = client.Process();
        try
        {
            if (await SendAsync(call, messages.RequestHeaders, messageTimeout).ConfigureAwait(false) is { } early)
            {
                return early;
            }

            if (await SendAsync(call, messages.RequestBody, messageTimeout).ConfigureAwait(false) is { } outcome)
            {
                return outcome;
            }

            await SendAsync(call, messages.ResponseHeaders, messageTimeout).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            return "routed";
        }
        catch (RpcException e)
        {
            return $"grpc_{e.StatusCode}";
        }
    }

    /// <summary>Sends one message and reads its reply: null to go on, else the outcome.</summary>
    private static async Task<string?> SendAsync(AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call, ProcessingRequest message, TimeSpan timeout)
    {
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            await call.RequestStream.WriteAsync(message, timer.Token).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(timer.Token).ConfigureAwait(false))
            {
                return "grpc_closed";
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && timer.IsCancellationRequested)
        {
            return "timeout_504";
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            return "timeout_504";
        }

        var reply = call.ResponseStream.Current;
        return reply.ImmediateResponse is { } immediate ? $"local_{(int)immediate.Status.Code}" : null;
    }
}
