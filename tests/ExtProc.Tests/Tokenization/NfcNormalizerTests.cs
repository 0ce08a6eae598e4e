using AiSidecar.ExtProc.Tokenization.HuggingFace;

namespace AiSidecar.ExtProc.Tests.Tokenization;

public sealed class NfcNormalizerTests
{
    [Fact]
    public void Normalize_DecomposedAccent_Composes()
    {
        Assert.True(NfcNormalizer.IsAvailable);
        Assert.Equal("\u00E9 \uAC01", NfcNormalizer.Normalize("e\u0301 \u1100\u1161\u11A8"));
    }

    [Fact]
    public void Normalize_TextThatGrows_IsNotTruncated()
    {
        // U+0344 becomes U+0308 U+0301 in NFC: 20 of them (40 characters) outgrow the first buffer (36).
        var text = string.Concat(Enumerable.Repeat("\u0344", 20));

        Assert.Equal(string.Concat(Enumerable.Repeat("\u0308\u0301", 20)), NfcNormalizer.Normalize(text));
    }

    [Fact]
    public void Normalize_AsciiText_IsReturnedAsIs()
    {
        var text = "plain ASCII";

        Assert.Same(text, NfcNormalizer.Normalize(text));
    }
}
