using System.Diagnostics;
using AiSidecar.ExtProc.Bench;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// Plays Envoy's side of one ext_proc stream in BUFFERED mode: each message waits for its reply, as Envoy does.
/// <para/>Owns its copy of the body, stamped per request (unless disabled) so every prompt is distinct.
/// </summary>
internal sealed class EnvoyStreamClient
{
    private readonly ExternalProcessor.ExternalProcessorClient _client;
    private readonly EnvoyMessages _messages;
    private readonly byte[] _body;
    private readonly RequestStamp? _stamp;

    public EnvoyStreamClient(ExternalProcessor.ExternalProcessorClient client, byte[] body, bool stamp)
    {
        _client = client;
        _body = (byte[])body.Clone();
        _messages = EnvoyMessages.Create(_body);
        _stamp = stamp ? new RequestStamp(_body) : null;
    }

    /// <summary>Runs one exchange; returns false (and counts the error) when the server broke the protocol.</summary>
    public async Task<bool> RunAsync(WorkerStats stats, bool record, long scheduledTimestamp, long requestNumber, CancellationToken cancellation)
    {
        // The body message wraps _body without copying and is serialized inside WriteAsync, so stamping here is safe.
        _stamp?.Write(_body, requestNumber);
        var started = Stopwatch.GetTimestamp();
        using var call = _client.Process(cancellationToken: cancellation);
        var requests = call.RequestStream;
        var replies = call.ResponseStream;

        await requests.WriteAsync(_messages.RequestHeaders, cancellation).ConfigureAwait(false);
        if (await NextAsync(replies, ProcessingResponse.ResponseOneofCase.RequestHeaders, stats, cancellation).ConfigureAwait(false) is null)
        {
            return false;
        }

        var bodySent = Stopwatch.GetTimestamp();
        await requests.WriteAsync(_messages.RequestBody, cancellation).ConfigureAwait(false);
        var bodyReply = await NextAsync(replies, ProcessingResponse.ResponseOneofCase.RequestBody, stats, cancellation).ConfigureAwait(false);
        if (bodyReply is null)
        {
            return false;
        }

        var bodyDone = Stopwatch.GetTimestamp();
        await requests.WriteAsync(_messages.ResponseHeaders, cancellation).ConfigureAwait(false);
        if (await NextAsync(replies, ProcessingResponse.ResponseOneofCase.ResponseHeaders, stats, cancellation).ConfigureAwait(false) is null)
        {
            return false;
        }

        var done = Stopwatch.GetTimestamp();

        // Envoy half-closes once it expects nothing more; the server then ends the call with status OK.
        await requests.CompleteAsync().ConfigureAwait(false);
        if (await replies.MoveNext(cancellation).ConfigureAwait(false))
        {
            stats.AddError("extra_reply");
            return false;
        }

        if (record)
        {
            stats.Exchange.RecordTicks(done - started);
            stats.FromSchedule.RecordTicks(done - Math.Min(started, scheduledTimestamp));
            stats.Body.RecordTicks(bodyDone - bodySent);
            stats.Completed++;
            if (bodyReply.RequestBody.Response?.HeaderMutation?.SetHeaders.Count > 0)
            {
                stats.Routed++;
            }
        }

        return true;
    }

    private static async Task<ProcessingResponse?> NextAsync(
        IAsyncStreamReader<ProcessingResponse> replies,
        ProcessingResponse.ResponseOneofCase expected,
        WorkerStats stats,
        CancellationToken cancellation)
    {
        if (!await replies.MoveNext(cancellation).ConfigureAwait(false))
        {
            stats.AddError($"stream_closed_before_{expected}");
            return null;
        }

        var reply = replies.Current;
        if (reply.ResponseCase != expected)
        {
            stats.AddError($"{reply.ResponseCase}_for_{expected}");
            return null;
        }

        return reply;
    }
}
