using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace AiSidecar.ExtProc.Catalogue;

/// <summary>
/// Maps a (model, key) pair to one of 10,000 buckets: <c>XXH64(UTF-8(model) ‖ 0x00 ‖ UTF-8(key), seed 0) mod 10000</c>.
/// The same on every replica and every restart: no shared state, no per-process seed.
/// </summary>
internal static class StickyBuckets
{
    /// <summary>Buckets per model: weights are percentages with two decimals, so one bucket is 0.01 %.</summary>
    public const int Count = 10_000;

    private const int StackLimit = 512;

    public static int Of(string model, string key)
    {
        var max = Encoding.UTF8.GetMaxByteCount(model.Length + key.Length) + 1;
        byte[]? rented = null;
        var buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(model, buffer);
            buffer[length++] = 0;
            length += Encoding.UTF8.GetBytes(key, buffer[length..]);
            return (int)(XxHash64.HashToUInt64(buffer[..length]) % Count);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
