namespace AiSidecar.ExtProc.Tokenization;

/// <summary>When tokenizer files are loaded.</summary>
internal enum TokenizerLoading
{
    /// <summary>On the first request for a model that uses the file.</summary>
    Lazy,

    /// <summary>At start, before the server reports ready.</summary>
    Eager,
}
