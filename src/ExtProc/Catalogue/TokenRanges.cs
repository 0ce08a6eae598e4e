namespace AiSidecar.ExtProc.Catalogue;

/// <summary>The compiled token ranges: checked in order, the last one takes every larger prompt.</summary>
internal sealed class TokenRanges(IEnumerable<TokenRangeOptions> ranges)
{
    private readonly TokenRangeOptions[] _ranges = [.. ranges];

    /// <summary>The first range whose bound holds <paramref name="promptTokens"/>; the last takes every larger prompt.</summary>
    public TokenRangeOptions Pick(int promptTokens)
    {
        foreach (var candidate in _ranges)
        {
            if (candidate.MaxTokens is not { } max || promptTokens <= max)
            {
                return candidate;
            }
        }

        return _ranges[^1];
    }
}
