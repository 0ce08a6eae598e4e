using Envoy.Service.ExtProc.V3;
using Google.Protobuf.WellKnownTypes;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>The outcome of one exchange driven through <see cref="EnvoyExtProcClient"/>.</summary>
public sealed record ExchangeResult
{
    /// <summary>What the downstream client received (from the upstream or from a local reply).</summary>
    public required DownstreamResponse Response { get; init; }

    /// <summary>Set when Envoy answered the downstream itself (ImmediateResponse, 413, 500, 504).</summary>
    public LocalReply? LocalReply { get; init; }

    /// <summary>Set when the request reached the upstream.</summary>
    public ForwardedRequest? Forwarded { get; init; }

    /// <summary>Every ext_proc message in both directions, in observed order.</summary>
    public required IReadOnlyList<TranscriptEntry> Transcript { get; init; }

    /// <summary>Set when the server ended the stream before Envoy closed it (OK means "processing complete").</summary>
    public Grpc.Core.Status? ServerStatus { get; init; }

    /// <summary>Dynamic metadata accepted for the configured receiving namespaces.</summary>
    public required IReadOnlyDictionary<string, Struct> DynamicMetadata { get; init; }

    public IReadOnlyList<ProcessingRequest> Sent => Transcript.Where(e => e.IsSent).Select(e => e.Sent!).ToList();

    public IReadOnlyList<ProcessingResponse> Received => Transcript.Where(e => !e.IsSent).Select(e => e.Received!).ToList();

    public override string ToString() =>
        $"{Response.Status} local={LocalReply} forwarded={Forwarded?.Headers} transcript=[{string.Join(", ", Transcript)}]";
}
