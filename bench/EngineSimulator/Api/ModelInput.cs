using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AiSidecar.EngineSimulator.Api;

/// <summary>One input of a request: a text, or a pretokenized input (token ids).</summary>
internal sealed class ModelInput
{
    private ModelInput(string? text, int[]? tokenIds)
    {
        Text = text;
        TokenIds = tokenIds;
    }

    /// <summary>The text, or null for token ids.</summary>
    public string? Text { get; }

    /// <summary>The token ids, or null for a text.</summary>
    public int[]? TokenIds { get; }

    public static ModelInput FromText(string text) => new(text, null);

    public static ModelInput FromTokenIds(int[] ids) => new(null, ids);

    /// <summary>The input's prompt tokens: the text's count plus the special tokens, or the number of ids (used as given).</summary>
    public int Tokens(SimulatorOptions options) =>
        Text is not null ? options.CountTokens(Text) + options.SpecialTokens : TokenIds!.Length;

    /// <summary>
    /// SHA-256 of the input alone (its kind, then its UTF-8 text or its ids as little-endian int32): every output
    /// derived from it is the same whatever else shares the request or the batch.
    /// </summary>
    public byte[] Digest()
    {
        if (Text is not null)
        {
            var text = Encoding.UTF8.GetBytes(Text);
            var bytes = new byte[1 + text.Length];
            bytes[0] = (byte)'s';
            text.CopyTo(bytes, 1);
            return SHA256.HashData(bytes);
        }

        var ids = new byte[1 + (4 * TokenIds!.Length)];
        ids[0] = (byte)'t';
        for (var i = 0; i < TokenIds.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(ids.AsSpan(1 + (4 * i)), TokenIds[i]);
        }

        return SHA256.HashData(ids);
    }
}
