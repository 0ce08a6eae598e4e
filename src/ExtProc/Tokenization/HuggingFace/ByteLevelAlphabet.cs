namespace AiSidecar.ExtProc.Tokenization.HuggingFace;

/// <summary>GPT-2's byte-to-character table, in which byte-level vocabularies are written.</summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] Table = Build();

    /// <summary>Writes the vocabulary spelling of <paramref name="bytes"/> into <paramref name="chars"/>.</summary>
    public static void Spell(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = Table[bytes[i]];
        }
    }

    private static char[] Build()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }

        return table;
    }
}
