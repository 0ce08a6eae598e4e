using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

internal sealed partial class ExtProcStream
{
    /// <summary>Closes like Envoy: half-close, optionally wait for the server to finish, then reset.</summary>
    /// <param name="halfCloseFirst">False keeps the request side open while waiting (observability's deferred close).</param>
    /// <param name="waitForServer">How long to let the server end the call itself before the reset.</param>
    public async Task CloseAsync(bool halfCloseFirst, TimeSpan waitForServer)
    {
        if (_call is null || _pump is null)
        {
            return;
        }

        if (halfCloseFirst)
        {
            await HalfCloseAsync();
        }

        if (waitForServer > TimeSpan.Zero)
        {
            await Task.WhenAny(_pump, Task.Delay(waitForServer, cancellationToken));
        }

        if (!halfCloseFirst)
        {
            await HalfCloseAsync();
        }

        _closing = true;
        _call.Dispose();
        await _pumpCancel.CancelAsync();
        await _pump;
    }

    public async ValueTask DisposeAsync()
    {
        _closing = true;
        _call?.Dispose();
        await _pumpCancel.CancelAsync();
        if (_pump is not null)
        {
            await _pump;
        }

        _pumpCancel.Dispose();
    }

    private async Task HalfCloseAsync()
    {
        try
        {
            if (!_writeFailed)
            {
                await _call!.RequestStream.CompleteAsync();
            }
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException or OperationCanceledException)
        {
            _writeFailed = true;
        }
    }

    private async Task PumpAsync(AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call)
    {
        try
        {
            while (await call.ResponseStream.MoveNext(_pumpCancel.Token))
            {
                Record(null, call.ResponseStream.Current);
                _events.Writer.TryWrite(new StreamEvent(call.ResponseStream.Current, null));
            }

            ServerStatus = call.GetStatus();
            _events.Writer.TryWrite(new StreamEvent(null, ServerStatus));
        }
        catch (RpcException e) when (!_closing)
        {
            ServerStatus = e.Status;
            _events.Writer.TryWrite(new StreamEvent(null, e.Status));
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or IOException || (e is ObjectDisposedException && _closing))
        {
            // Envoy reset the stream itself; nothing more to report (a read under way when the call is disposed may
            // also end as ObjectDisposedException, seen once in a hot-reload run under load).
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}
