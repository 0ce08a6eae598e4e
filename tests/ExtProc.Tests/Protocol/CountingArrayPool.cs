using System.Buffers;

namespace AiSidecar.ExtProc.Tests.Protocol;

/// <summary>An array pool that counts what is out: every rented array must come back (or, deliberately, be dropped).</summary>
internal sealed class CountingArrayPool : ArrayPool<byte>
{
    private readonly HashSet<byte[]> _out = new(ReferenceEqualityComparer.Instance);

    public int Rented { get; private set; }

    public int Outstanding
    {
        get
        {
            lock (_out)
            {
                return _out.Count;
            }
        }
    }

    public override byte[] Rent(int minimumLength)
    {
        var array = new byte[minimumLength];
        lock (_out)
        {
            _out.Add(array);
            Rented++;
        }

        return array;
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        lock (_out)
        {
            Assert.True(_out.Remove(array), "An array was returned that is not out (returned twice, or never rented here).");
        }
    }
}
