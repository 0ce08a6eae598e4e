using System.Text;

namespace AiSidecar.ExtProc.Bench;

/// <summary>
/// Makes each request distinct: overwrites the digits of <see cref="Marker"/> inside a body (or inside the protobuf
/// bytes that embed it) in place, so the length and everything else stay the same.
/// <para/>Without it every request would repeat the same prompt and a server-side count cache would answer all but the first.
/// </summary>
internal sealed class RequestStamp
{
    /// <summary>The placeholder written by <see cref="ChatBodies"/>: twelve digits to overwrite.</summary>
    public const string Marker = "[request 000000000000]";

    private const int Digits = 12;
    private static readonly byte[] Prefix = Encoding.ASCII.GetBytes("[request ");

    private readonly int _offset;

    /// <summary>Finds the marker in <paramref name="bytes"/>.</summary>
    public RequestStamp(ReadOnlySpan<byte> bytes)
    {
        var at = bytes.IndexOf(Prefix);
        if (at < 0)
        {
            throw new ArgumentException("The bytes hold no request marker.", nameof(bytes));
        }

        _offset = at + Prefix.Length;
    }

    /// <summary>Writes <paramref name="value"/> (mod 10^12) as the marker's digits.</summary>
    public void Write(Span<byte> bytes, long value)
    {
        var digits = bytes.Slice(_offset, Digits);
        for (var i = Digits - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
