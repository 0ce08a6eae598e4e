using System.Diagnostics.CodeAnalysis;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Coalescing.Codecs;

/// <summary>The codec of each coalescible API (embeddings, rerank, completions); stateless, shared.</summary>
internal sealed class CoalesceCodecs
{
    private readonly Dictionary<ApiKind, ICoalesceCodec> _codecs = [];

    public CoalesceCodecs(IEnumerable<ICoalesceCodec> codecs)
    {
        foreach (var codec in codecs)
        {
            _codecs[codec.Api] = codec;
        }
    }

    /// <summary>The three built-in codecs.</summary>
    public static CoalesceCodecs Default { get; } = new([new EmbeddingsCodec(), new RerankCodec(), new CompletionsCodec()]);

    /// <summary>The APIs that have a codec.</summary>
    public IReadOnlyCollection<ApiKind> Apis => _codecs.Keys;

    /// <summary>The API's codec; false for an API that cannot be coalesced.</summary>
    public bool TryGet(ApiKind api, [NotNullWhen(true)] out ICoalesceCodec? codec) => _codecs.TryGetValue(api, out codec);
}
