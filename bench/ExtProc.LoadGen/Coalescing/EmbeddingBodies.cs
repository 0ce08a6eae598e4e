using System.Text;

namespace AiSidecar.ExtProc.LoadGen.Coalescing;

/// <summary>
/// Single-input <c>/v1/embeddings</c> bodies, each with its own short text (about 8 to 20 o200k tokens): the request
/// number, then 6 to 14 common words chosen from it, so no two requests carry the same text.
/// </summary>
internal static class EmbeddingBodies
{
    private static readonly string[] Words =
    [
        "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "river", "bank", "green", "house", "small",
        "light", "water", "paper", "stone", "market", "street", "garden", "winter", "summer", "music", "table",
        "window", "morning", "evening", "city", "train", "station", "coffee", "letter", "orange", "silver", "forest",
        "mountain", "engine", "cloud", "signal", "report", "budget", "meeting", "customer", "invoice", "order", "ticket",
        "search", "answer",
    ];

    public static byte[] Create(string model, long number)
    {
        var text = new StringBuilder("note ").Append(number).Append(':');
        var state = (ulong)number * 0x9E3779B97F4A7C15UL;
        var count = 6 + (int)(Next(ref state) % 9);
        for (var i = 0; i < count; i++)
        {
            text.Append(' ').Append(Words[Next(ref state) % (ulong)Words.Length]);
        }

        return Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","input":"{{text}}"}""");
    }

    /// <summary>SplitMix64: a cheap, well-mixed sequence from the request number.</summary>
    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
