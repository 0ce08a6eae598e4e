using System.Globalization;
using System.Runtime.CompilerServices;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// The character classes the GPT-family pre-tokenizer patterns use, as flags per code point (the same Unicode data
/// as .NET's regex engine: <c>\p{L}</c>, <c>\p{N}</c>, and <c>\s</c> = <c>[\f\n\r\t\v\x85\p{Z}]</c>).
/// </summary>
[Flags]
internal enum PreTokenClass : byte
{
    None = 0,

    /// <summary><c>\p{L}</c>.</summary>
    Letter = 1,

    /// <summary><c>\p{N}</c>.</summary>
    Number = 2,

    /// <summary><c>\s</c>.</summary>
    Space = 4,

    /// <summary>o200k's leading class <c>[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]</c>.</summary>
    Upper = 8,

    /// <summary>o200k's trailing class <c>[\p{Ll}\p{Lm}\p{Lo}\p{M}]</c>.</summary>
    Lower = 16,

    /// <summary><c>[\r\n]</c>.</summary>
    LineBreak = 32,
}

/// <summary>Looks up <see cref="PreTokenClass"/> flags: a table for the BMP, the category for other code points.</summary>
internal static class PreTokenClasses
{
    private static readonly PreTokenClass[] Bmp = BuildBmp();

    /// <summary>Neither a letter, a number nor whitespace: <c>[^\s\p{L}\p{N}]</c>.</summary>
    public const PreTokenClass WordOrSpace = PreTokenClass.Letter | PreTokenClass.Number | PreTokenClass.Space;

    /// <summary>Excluded from the optional leading character <c>[^\r\n\p{L}\p{N}]</c>.</summary>
    public const PreTokenClass NotPrefix = PreTokenClass.Letter | PreTokenClass.Number | PreTokenClass.LineBreak;

    /// <summary>The classes of the code point at <paramref name="index"/>, and its length in UTF-16 units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PreTokenClass At(ReadOnlySpan<char> text, int index, out int width)
    {
        var c = text[index];
        width = 1;
        return char.IsSurrogate(c) ? Surrogate(text, index, ref width) : Bmp[c];
    }

    private static PreTokenClass Surrogate(ReadOnlySpan<char> text, int index, ref int width)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            width = 2;
            return Of(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[index + 1])));
        }

        return Bmp[c];
    }

    private static PreTokenClass[] BuildBmp()
    {
        var table = new PreTokenClass[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            table[c] = Of(CharUnicodeInfo.GetUnicodeCategory((char)c));
        }

        foreach (var c in "\t\n\v\f\r\u0085")
        {
            table[c] |= PreTokenClass.Space;
        }

        table['\r'] |= PreTokenClass.LineBreak;
        table['\n'] |= PreTokenClass.LineBreak;
        return table;
    }

    private static PreTokenClass Of(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter => PreTokenClass.Letter | PreTokenClass.Upper,
        UnicodeCategory.LowercaseLetter => PreTokenClass.Letter | PreTokenClass.Lower,
        UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => PreTokenClass.Letter | PreTokenClass.Upper | PreTokenClass.Lower,
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => PreTokenClass.Upper | PreTokenClass.Lower,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => PreTokenClass.Number,
        UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => PreTokenClass.Space,
        _ => PreTokenClass.None,
    };
}
