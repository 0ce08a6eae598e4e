using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>One ext_proc gRPC stream, opened lazily on the first message like Envoy's filter, read by a background pump.</summary>
internal sealed partial class ExtProcStream(ExternalProcessor.ExternalProcessorClient client, CancellationToken cancellationToken)
    : IAsyncDisposable
{
    private readonly Channel<StreamEvent> _events = Channel.CreateUnbounded<StreamEvent>();
    private readonly List<TranscriptEntry> _transcript = [];
    private readonly CancellationTokenSource _pumpCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    private AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse>? _call;
    private Task? _pump;
    private bool _writeFailed;
    private bool _closing;

    public bool Started => _call is not null;

    /// <summary>The status the server ended the stream with, if it did so before Envoy closed it.</summary>
    public Status? ServerStatus { get; private set; }

    public IReadOnlyList<TranscriptEntry> Transcript
    {
        get
        {
            lock (_transcript)
            {
                return _transcript.ToList();
            }
        }
    }

    public async Task SendAsync(ProcessingRequest request)
    {
        Record(request, null);
        if (_call is null)
        {
            _call = client.Process(cancellationToken: _pumpCancel.Token);
            _pump = PumpAsync(_call);
        }

        if (_writeFailed)
        {
            return;
        }

        try
        {
            await _call.RequestStream.WriteAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException or OperationCanceledException)
        {
            // The stream is gone; the pump reports how it ended, which decides what Envoy does.
            _writeFailed = true;
        }
    }

    /// <summary>Takes an event that already arrived, without waiting.</summary>
    public bool TryRead([NotNullWhen(true)] out StreamEvent? item) => _events.Reader.TryRead(out item);

    /// <summary>Waits for the next event; null when <paramref name="timeout"/> passes first.</summary>
    public async Task<StreamEvent?> ReceiveAsync(TimeSpan timeout)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            while (await _events.Reader.WaitToReadAsync(timer.Token))
            {
                if (_events.Reader.TryRead(out var item))
                {
                    return item;
                }
            }

            return new StreamEvent(null, ServerStatus ?? Status.DefaultCancelled);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private void Record(ProcessingRequest? sent, ProcessingResponse? received)
    {
        lock (_transcript)
        {
            _transcript.Add(new TranscriptEntry(_transcript.Count + 1, sent, received));
        }
    }
}
