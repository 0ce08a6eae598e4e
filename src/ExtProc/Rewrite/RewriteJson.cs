using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AiSidecar.ExtProc.Rewrite;

/// <summary>
/// Byte-level splicing of a JSON object body: fields are copied as the client wrote them and only the rewritten ones
/// are written anew, so a rewrite costs one reader pass and one copy rather than a parse and a re-serialisation.
/// </summary>
internal sealed class RewriteJson
{
    private readonly ArrayBufferWriter<byte> _buffer;
    private bool _first = true;

    private RewriteJson(int sizeHint)
    {
        _buffer = new ArrayBufferWriter<byte>(sizeHint);
        _buffer.Write("{"u8);
    }

    /// <summary>The body without a UTF-8 byte order mark, which <see cref="Utf8JsonReader"/> does not accept.</summary>
    public static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> body) => body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? body[3..] : body;

    /// <summary>A JSON string literal, quotes included; non-ASCII stays UTF-8 (the body goes to a model server, not into HTML).</summary>
    public static byte[] StringLiteral(string value)
    {
        var encoded = JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes;
        var literal = new byte[encoded.Length + 2];
        literal[0] = literal[^1] = (byte)'"';
        encoded.CopyTo(literal.AsSpan(1));
        return literal;
    }

    public static RewriteJson Start(int sizeHint) => new(sizeHint + 64);

    /// <summary>Appends one <c>"name":value</c> member given as raw parts, with the separating comma.</summary>
    public RewriteJson Member(params ReadOnlySpan<byte[]> parts)
    {
        Comma();
        foreach (var part in parts)
        {
            _buffer.Write(part);
        }

        return this;
    }

    /// <summary>Appends raw member bytes copied from the client's body, with the separating comma.</summary>
    public RewriteJson Raw(ReadOnlySpan<byte> member, ReadOnlySpan<byte> suffix = default)
    {
        Comma();
        _buffer.Write(member);
        _buffer.Write(suffix);
        return this;
    }

    /// <summary>Appends bytes to the current member, without a comma.</summary>
    public RewriteJson Append(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    /// <summary>Closes the object; the result is the writer's own buffer (no second copy of the body).</summary>
    public ReadOnlyMemory<byte> End()
    {
        _buffer.Write("}"u8);
        return _buffer.WrittenMemory;
    }

    private void Comma()
    {
        if (!_first)
        {
            _buffer.Write(","u8);
        }

        _first = false;
    }
}
