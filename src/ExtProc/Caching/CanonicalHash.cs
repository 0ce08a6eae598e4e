using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// A SHA-256 over JSON written in canonical form: object members sorted by name at every level, strings as their
/// unescaped UTF-8, numbers by value (<c>20</c>, <c>20.0</c> and <c>2e1</c> alike). What <see cref="Writer"/> writes goes
/// straight into the hash through one pooled buffer; no copy of the document is made.
/// </summary>
internal sealed class CanonicalHash : IBufferWriter<byte>, IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);

    public CanonicalHash() => Writer = new Utf8JsonWriter(this, Options);

    /// <summary>Writes into the hash.</summary>
    public Utf8JsonWriter Writer { get; }

    /// <summary>
    /// Writes <paramref name="element"/> in canonical form, leaving out the top-level members <paramref name="skip"/> names.
    /// </summary>
    /// <exception cref="InvalidOperationException">A string holds an unpaired surrogate escape: it has no text to hash.</exception>
    public void WriteCanonical(JsonElement element, Func<JsonProperty, bool>? skip = null)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = ArrayPool<JsonProperty>.Shared.Rent(element.GetPropertyCount());
                var count = 0;
                foreach (var member in element.EnumerateObject())
                {
                    if (skip?.Invoke(member) != true)
                    {
                        members[count++] = member;
                    }
                }

                var sorted = members.AsSpan(0, count);
                sorted.Sort(static (a, b) => JsonMarshal.GetRawUtf8PropertyName(a).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(b)));
                Writer.WriteStartObject();
                foreach (var member in sorted)
                {
                    // A name without escapes is its own UTF-8; an escaped one (rare) is unescaped first.
                    var name = JsonMarshal.GetRawUtf8PropertyName(member);
                    if (name.IndexOf((byte)'\\') < 0)
                    {
                        Writer.WritePropertyName(name);
                    }
                    else
                    {
                        Writer.WritePropertyName(member.Name);
                    }

                    WriteCanonical(member.Value);
                }

                Writer.WriteEndObject();
                sorted.Clear();
                ArrayPool<JsonProperty>.Shared.Return(members);
                break;
            case JsonValueKind.Array:
                Writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(item);
                }

                Writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                // As it lies when it has no escapes, else unescaped into a pooled buffer (never longer than the escaped
                // form), so both spellings hash alike and no string is made.
                var raw = JsonMarshal.GetRawUtf8Value(element);
                if (raw[1..^1].IndexOf((byte)'\\') < 0)
                {
                    Writer.WriteStringValue(raw[1..^1]);
                    break;
                }

                var reader = new Utf8JsonReader(raw);
                reader.Read();
                var text = ArrayPool<byte>.Shared.Rent(raw.Length);
                Writer.WriteStringValue(text.AsSpan(0, reader.CopyString(text)));
                ArrayPool<byte>.Shared.Return(text);
                break;
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var integer))
                {
                    Writer.WriteNumberValue(integer);
                }
                else if (element.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    Writer.WriteNumberValue(number == 0 ? 0 : number);
                }
                else
                {
                    Writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                }

                break;
            default:
                element.WriteTo(Writer);
                break;
        }
    }

    /// <summary>The hash of everything written, as 64 lower-case hex digits into <paramref name="hex"/>.</summary>
    public void Finish(Span<char> hex)
    {
        Writer.Flush();
        Span<byte> digest = stackalloc byte[32];
        _hash.TryGetHashAndReset(digest, out _);
        Convert.TryToHexStringLower(digest, hex, out _);
    }

    public void Advance(int count) => _hash.AppendData(_buffer, 0, count);

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Grow(sizeHint);
        return _buffer;
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Grow(sizeHint);
        return _buffer;
    }

    public void Dispose()
    {
        Writer.Dispose();
        _hash.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }

    private void Grow(int sizeHint)
    {
        if (sizeHint > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(sizeHint);
        }
    }
}
