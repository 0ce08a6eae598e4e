using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Inspection;

/// <summary>
/// Options of the <c>inspection</c> section: how many items a request body may hold. A few bytes per item would
/// otherwise cost far more than their size (100,000 empty content parts were counted as 8.5 M tokens). The defaults
/// are far above what real clients send; a request beyond any of them gets 400 <c>array_above_max_length</c>.
/// </summary>
internal sealed class InspectionOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "inspection";

    /// <summary>Chat <c>messages</c>, or responses <c>input</c> items, in one request. Default 10,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxMessages { get; set; } = 10_000;

    /// <summary>Content parts (and tool calls) in one message. Default 1,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxContentParts { get; set; } = 1_000;

    /// <summary>
    /// Image, audio and file parts in one request, across its messages; each is counted as
    /// <c>tokenization.nonTextPartTokens</c>. Default 1,000.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxMediaParts { get; set; } = 1_000;

    /// <summary>Items of a completions <c>prompt</c> or embeddings <c>input</c> array, or rerank documents. Default 10,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxInputs { get; set; } = 10_000;

    /// <summary>Chat <c>tools</c> definitions in one request. Default 1,000.</summary>
    [Range(0, 1_000_000)]
    public int MaxTools { get; set; } = 1_000;
}
