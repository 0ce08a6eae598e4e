using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>Options of the <c>tokenization</c> config section.</summary>
public sealed class TokenizationOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "tokenization";

    /// <summary>The tiktoken encoding used to count tokens: <c>o200k_base</c> (default) or <c>cl100k_base</c>.</summary>
    [Required]
    [AllowedValues("o200k_base", "cl100k_base")]
    public string Encoding { get; set; } = "o200k_base";
}
