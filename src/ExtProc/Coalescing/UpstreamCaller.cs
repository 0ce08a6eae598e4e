using System.Collections.Concurrent;
using System.Net.Http.Headers;
using AiSidecar.ExtProc.Telemetry;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace AiSidecar.ExtProc.Coalescing;

/// <summary>
/// Sends batches over the <see cref="HttpClientName"/> client: pooled connections, and a resilience handler per
/// upstream (scheme, host and port) with a circuit breaker (<c>coalescing.breaker</c>) around a per-call timeout. No
/// retry: a failed batch is answered (or passed through) at once, never sent again. 5xx, 408, 429, timeouts and
/// connection failures count against the breaker; other 4xx do not (the engine refused something in the batch).
/// </summary>
internal sealed class UpstreamCaller(IHttpClientFactory clients, UpstreamBreakers breakers, BearerTokens tokens, TimeProvider time, ExtProcMetrics metrics) : IUpstreamCaller
{
    /// <summary>The name of the batch-sending <see cref="HttpClient"/>.</summary>
    public const string HttpClientName = "coalesce-upstream";

    /// <summary>The largest answer read (the members' answers then go to Envoy in gRPC messages).</summary>
    public const int MaxAnswerBytes = 64 << 20;

    /// <summary>The request option carrying a call's timeout to the resilience pipeline.</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> TimeoutKey = new("aisidecar.coalesce.timeout");

    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly ConcurrentDictionary<string, Uri> _bases = new(StringComparer.Ordinal);

    public bool IsOpen(string pool, PoolUpstreamOptions upstream) => breakers.IsOpen(UpstreamBreakers.KeyOf(BaseOf(upstream)));

    public async Task<UpstreamReply> CallAsync(string pool, PoolUpstreamOptions upstream, string path, byte[] body, TimeSpan timeout)
    {
        var started = time.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseOf(upstream), path.TrimStart('/')))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
        };
        request.Options.Set(TimeoutKey, timeout);
        if (tokens.Read(upstream.BearerTokenFile) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        UpstreamReply reply;
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            reply = response.IsSuccessStatusCode
                ? new UpstreamReply(UpstreamResult.Ok, status, await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false))
                : new UpstreamReply(UpstreamResult.HttpError, status);
        }
        catch (BrokenCircuitException)
        {
            reply = new UpstreamReply(UpstreamResult.BreakerOpen);
        }
        catch (TimeoutRejectedException)
        {
            reply = new UpstreamReply(UpstreamResult.Timeout);
        }
        catch (HttpRequestException)
        {
            reply = new UpstreamReply(UpstreamResult.Unreachable);
        }

        metrics.CoalesceUpstreamCalled(pool, time.GetElapsedTime(started));
        return reply;
    }

    /// <summary>The upstream's base URL with a trailing slash, so the API path is appended to its path.</summary>
    private Uri BaseOf(PoolUpstreamOptions upstream) =>
        _bases.GetOrAdd(upstream.Url, static url => new Uri(url.EndsWith('/') ? url : url + "/", UriKind.Absolute));
}
