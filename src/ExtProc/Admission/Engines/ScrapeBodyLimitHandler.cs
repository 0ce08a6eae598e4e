namespace AiSidecar.ExtProc.Admission.Engines;

/// <summary>A metrics page larger than <see cref="ScrapeBodyLimitHandler.MaxPageBytes"/>.</summary>
internal sealed class ScrapeTooLargeException(long limit) : Exception($"the metrics page is larger than {limit} bytes");

/// <summary>
/// Reads a metrics page whole, inside the resilience pipeline (so the attempt timeout covers the body, not only the
/// headers), and refuses one over <see cref="MaxPageBytes"/> (by its Content-Length before reading, or as it
/// streams): a misbehaving endpoint cannot make the server buffer without bound.
/// </summary>
internal sealed class ScrapeBodyLimitHandler : DelegatingHandler
{
    /// <summary>The largest page read (8 MiB, far above any real engine page).</summary>
    public const long MaxPageBytes = 8 << 20;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.Content.Headers.ContentLength > MaxPageBytes)
            {
                throw new ScrapeTooLargeException(MaxPageBytes);
            }

            await response.Content.LoadIntoBufferAsync(MaxPageBytes, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch (HttpRequestException e) when (e.InnerException is null && !cancellationToken.IsCancellationRequested)
        {
            // The buffer's limit: HttpContent reports it as a request failure without an inner cause.
            response.Dispose();
            throw new ScrapeTooLargeException(MaxPageBytes);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
