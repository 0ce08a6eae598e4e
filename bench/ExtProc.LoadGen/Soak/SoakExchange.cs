using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiSidecar.ExtProc.LoadGen.Soak;

/// <summary>Where a cancelled exchange is reset, as Envoy resets the stream when the downstream goes away.</summary>
internal enum CancelPoint
{
    None,

    /// <summary>After sending the request headers, before their reply.</summary>
    AfterHeaders,

    /// <summary>After sending the request body, before its reply (the server is inspecting and counting).</summary>
    AfterBody,

    /// <summary>After the body's reply, before the response headers (the upstream is working).</summary>
    BeforeResponse,
}

/// <summary>
/// Plays Envoy's side of one ext_proc stream in BUFFERED mode for a <see cref="SoakRequest"/> and checks each reply
/// against what the request must get. <see cref="RunAsync"/> returns null for the expected answer (a reset asked for
/// included), otherwise what went wrong.
/// </summary>
internal sealed class SoakExchange : IDisposable
{
    private readonly CancellationTokenSource _reset;
    private readonly AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> _call;
    private readonly SoakRequest _request;
    private readonly CancelPoint _cancel;
    private bool _resetOnPurpose;

    private SoakExchange(ExternalProcessor.ExternalProcessorClient client, SoakRequest request, CancelPoint cancel, TimeSpan timeout, CancellationToken stop)
    {
        _reset = CancellationTokenSource.CreateLinkedTokenSource(stop);
        _reset.CancelAfter(timeout);
        _call = client.Process(cancellationToken: _reset.Token);
        _request = request;
        _cancel = cancel;
    }

    public static async Task<string?> RunAsync(ExternalProcessor.ExternalProcessorClient client, SoakRequest request, CancelPoint cancel, TimeSpan timeout, CancellationToken stop)
    {
        using var exchange = new SoakExchange(client, request, cancel, timeout, stop);
        try
        {
            return await exchange.ExchangeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException or InvalidOperationException && exchange._reset.IsCancellationRequested)
        {
            return exchange._resetOnPurpose ? null : stop.IsCancellationRequested ? "stopped" : "timeout";
        }
        catch (RpcException ex)
        {
            return $"rpc_{ex.StatusCode}";
        }
    }

    public void Dispose()
    {
        _call.Dispose();
        _reset.Dispose();
    }

    private async Task<string?> ExchangeAsync()
    {
        var token = _reset.Token;
        await _call.RequestStream.WriteAsync(_request.Messages.RequestHeaders, token).ConfigureAwait(false);
        await ResetIfChosenAsync(CancelPoint.AfterHeaders).ConfigureAwait(false);
        if (await NextAsync() is not { ResponseCase: ProcessingResponse.ResponseOneofCase.RequestHeaders })
        {
            return "request_headers_reply";
        }

        await _call.RequestStream.WriteAsync(_request.Messages.RequestBody, token).ConfigureAwait(false);
        await ResetIfChosenAsync(CancelPoint.AfterBody).ConfigureAwait(false);
        var body = await NextAsync().ConfigureAwait(false);
        if (_request.Pool is null)
        {
            // A local reply ends the exchange: Envoy answers the client itself and closes the stream.
            return body?.ImmediateResponse is not { } local ? "no_local_reply"
                : (int)local.Status.Code != _request.Status ? $"status_{(int)local.Status.Code}"
                : await EndAsync().ConfigureAwait(false);
        }

        if (body is not { ResponseCase: ProcessingResponse.ResponseOneofCase.RequestBody })
        {
            return body?.ImmediateResponse is { } refused ? $"refused_{(int)refused.Status.Code}" : "request_body_reply";
        }

        var pool = body.RequestBody.Response?.HeaderMutation?.SetHeaders.FirstOrDefault(h => h.Header.Key == "x-ai-pool")?.Header.RawValue.ToStringUtf8();
        if (pool != _request.Pool)
        {
            return pool is null ? "no_pool" : $"pool_{pool}";
        }

        await ResetIfChosenAsync(CancelPoint.BeforeResponse).ConfigureAwait(false);
        await _call.RequestStream.WriteAsync(_request.Messages.ResponseHeaders, token).ConfigureAwait(false);
        return await NextAsync().ConfigureAwait(false) is not { ResponseCase: ProcessingResponse.ResponseOneofCase.ResponseHeaders }
            ? "response_headers_reply"
            : await EndAsync().ConfigureAwait(false);
    }

    /// <summary>At the chosen point, resets the stream: the read (or any later call) throws, ending the exchange as asked.</summary>
    private async Task ResetIfChosenAsync(CancelPoint here)
    {
        if (_cancel == here)
        {
            _resetOnPurpose = true;
            await _reset.CancelAsync().ConfigureAwait(false);
            await _call.ResponseStream.MoveNext(_reset.Token).ConfigureAwait(false); // throws: the call is cancelled
        }
    }

    /// <summary>Half-closes as Envoy does once it expects nothing more; the server must end the call with no other reply.</summary>
    private async Task<string?> EndAsync()
    {
        await _call.RequestStream.CompleteAsync().ConfigureAwait(false);
        return await _call.ResponseStream.MoveNext(_reset.Token).ConfigureAwait(false) ? "extra_reply" : null;
    }

    private async Task<ProcessingResponse?> NextAsync() =>
        await _call.ResponseStream.MoveNext(_reset.Token).ConfigureAwait(false) ? _call.ResponseStream.Current : null;
}
