namespace AiSidecar.ExtProc.Coalescing.Codecs;

/// <summary>Why a codec cannot coalesce a request: short snake_case metric labels, the whole vocabulary.</summary>
internal static class CoalesceReasons
{
    /// <summary>The body is not a JSON object the codec can read (inspection normally refuses these first).</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>A top-level field appears twice: which one the engine takes is its own choice.</summary>
    public const string DuplicateField = "duplicate_field";

    /// <summary>The inputs are missing or in a shape the codec does not batch (mixed strings and token arrays, multimodal, …).</summary>
    public const string InputShape = "input_shape";

    /// <summary>No inputs, or an empty string or token array: the engine refuses it, and would fail the whole batch.</summary>
    public const string EmptyInput = "empty_input";

    /// <summary>Embeddings in an encoding other than <c>float</c> or <c>base64</c> (vLLM's binary ones are not JSON).</summary>
    public const string EncodingFormat = "encoding_format";

    /// <summary>Rerank <c>top_n</c> that is not an integer.</summary>
    public const string TopN = "top_n";

    /// <summary>A streaming completion.</summary>
    public const string Stream = "stream";

    /// <summary>Completions <c>n</c> that is not a positive integer.</summary>
    public const string N = "n";

    /// <summary>Completions <c>best_of</c> above <c>n</c>: the engine picks among hidden candidates.</summary>
    public const string BestOf = "best_of";

    /// <summary>Completions with <c>use_beam_search</c>.</summary>
    public const string BeamSearch = "beam_search";

    /// <summary>Completions with <c>prompt_embeds</c>: inputs outside <c>prompt</c>.</summary>
    public const string PromptEmbeds = "prompt_embeds";

    /// <summary>Every reason, for metrics that declare their label values.</summary>
    public static IReadOnlyList<string> All { get; } =
        [InvalidJson, DuplicateField, InputShape, EmptyInput, EncodingFormat, TopN, Stream, N, BestOf, BeamSearch, PromptEmbeds];
}
