using AiSidecar.ExtProc.Tokenization.Templates;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>A tokenizer joined with a chat template, as the catalogue assigns it to a model or version.</summary>
internal sealed class TokenizerHandle(TokenizerSlot slot, IPromptFormat format, TokenizerCache cache)
{
    private PromptCounter? _counter;

    /// <summary>The encoding name or file path.</summary>
    public string Name => slot.Name;

    internal TokenizerSlot Slot => slot;

    /// <summary>The counter to use: this tokenizer's, or the default's when it failed to load.</summary>
    /// <exception cref="TokenizerUnavailableException">It failed and the config refuses such requests.</exception>
    public PromptCounter Resolve() => Counter() ?? cache.Fallback(slot);

    /// <summary>This tokenizer's counter, loading it on first use; null when it failed to load.</summary>
    internal PromptCounter? Counter()
    {
        if (slot.Get() is not { } tokenizer)
        {
            return null;
        }

        var counter = _counter;
        if (counter is null || !ReferenceEquals(counter.Tokenizer, tokenizer))
        {
            counter = new PromptCounter(tokenizer, format, cache.NonTextPartTokens, cache.MaxMergeBytes);
            _counter = counter;
        }

        return counter;
    }
}
