using System.Buffers;
using System.Net;

namespace AiSidecar.ExtProc.Admission.Engines;

/// <summary>A metrics page larger than <see cref="ScrapeBodyLimitHandler.MaxPageBytes"/>.</summary>
internal sealed class ScrapeTooLargeException(long limit) : Exception($"the metrics page is larger than {limit} bytes");

/// <summary>
/// Reads a metrics page whole, inside the resilience pipeline (so the attempt timeout covers the body, not only the
/// headers), into a buffer from <see cref="ArrayPool{T}.Shared"/>: the response's content becomes a
/// <see cref="ScrapedPage"/>, whose buffer goes back to the pool when the response is disposed, so a scrape does not
/// allocate its page. Refuses a page over <see cref="MaxPageBytes"/> (by its Content-Length before reading, or as it
/// streams): a misbehaving endpoint cannot make the server buffer without bound.
/// </summary>
internal sealed class ScrapeBodyLimitHandler : DelegatingHandler
{
    /// <summary>The largest page read (8 MiB, far above any real engine page).</summary>
    public const int MaxPageBytes = 8 << 20;

    /// <summary>The first buffer for a page of unknown length (real pages are tens of KB; larger ones grow it).</summary>
    private const int UnknownLengthBytes = 64 << 10;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            var declared = response.Content.Headers.ContentLength;
            if (declared > MaxPageBytes)
            {
                throw new ScrapeTooLargeException(MaxPageBytes);
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                // One byte more than declared, so that the end of the body is seen without growing the buffer.
                var page = await ReadAsync(body, declared is { } length ? (int)length + 1 : UnknownLengthBytes, cancellationToken).ConfigureAwait(false);
                page.Headers.ContentType = response.Content.Headers.ContentType;
                response.Content.Dispose();
                response.Content = page;
            }

            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Reads <paramref name="body"/> to its end into a pooled buffer of at first <paramref name="capacity"/> bytes.</summary>
    private static async Task<ScrapedPage> ReadAsync(Stream body, int capacity, CancellationToken cancellation)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        var length = 0;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(length), cancellation).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length > MaxPageBytes)
                {
                    throw new ScrapeTooLargeException(MaxPageBytes);
                }

                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxPageBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return new ScrapedPage(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}

/// <summary>A metrics page read whole into a pooled buffer (<see cref="ScrapeBodyLimitHandler"/>); disposing it returns the buffer.</summary>
internal sealed class ScrapedPage : HttpContent
{
    private readonly int _length;
    private byte[]? _buffer;

    public ScrapedPage(byte[] pooled, int length) => (_buffer, _length) = (pooled, length);

    /// <summary>The page's bytes; valid until the content (the response) is disposed.</summary>
    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, _length);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(ScrapedPage));

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(Buffer.AsMemory(0, _length)).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _buffer, null) is { } pooled)
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }

        base.Dispose(disposing);
    }
}
