using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace AiSidecar.ExtProc.Admission.Priority;

/// <summary>
/// The SHA-256 (lower-case hex) of the bearer token in an <c>authorization</c> header: what
/// <c>admission.priority.apiKeys</c> lists. Taken when the request headers arrive, so the key itself is never kept.
/// </summary>
internal static class ApiKeyHash
{
    private const string Scheme = "Bearer ";

    /// <summary>The hash of the token in <paramref name="authorization"/>; null without a non-empty bearer token.</summary>
    public static string? Of(string? authorization)
    {
        if (authorization is null)
        {
            return null;
        }

        var value = authorization.AsSpan().Trim(" \t");
        if (!value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = value[Scheme.Length..].Trim(" \t");
        if (token.IsEmpty)
        {
            return null;
        }

        // The token's bytes live only here, and are wiped before the buffer goes.
        var max = Encoding.UTF8.GetMaxByteCount(token.Length);
        byte[]? rented = null;
        var utf8 = max <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var length = Encoding.UTF8.GetBytes(token, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        utf8[..length].Clear();
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return Convert.ToHexStringLower(hash);
    }

    /// <summary>True when <paramref name="value"/> is written as a hash is: 64 lower-case hex digits.</summary>
    public static bool IsWellFormed(string value) =>
        value.Length == SHA256.HashSizeInBytes * 2 && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
