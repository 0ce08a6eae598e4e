using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Coalescing.Codecs;

/// <summary>The codec of each coalescible API.</summary>
internal sealed class CoalesceCodecs
{
    public ICoalesceCodec For(ApiKind api) => throw new NotSupportedException(api.ToString());
}
