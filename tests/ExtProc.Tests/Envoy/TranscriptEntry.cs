using Envoy.Service.ExtProc.V3;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>One message on the ext_proc stream, in the order this client observed it.</summary>
public sealed record TranscriptEntry(int Sequence, ProcessingRequest? Sent, ProcessingResponse? Received)
{
    public bool IsSent => Sent is not null;

    public override string ToString() => IsSent ? $"#{Sequence} -> {Sent!.RequestCase}" : $"#{Sequence} <- {Received!.ResponseCase}";
}
