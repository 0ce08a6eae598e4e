using System.Globalization;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>The header maps Envoy's filter sees: pseudo-headers, plus what the HCM and the router add.</summary>
internal static class EnvoyHeaders
{
    /// <summary>Pseudo-headers first, then the client's headers, then what the HCM adds.</summary>
    public static HttpHeaderList Request(DownstreamRequest request, EnvoyFilterConfig config)
    {
        var headers = new HttpHeaderList()
            .Add(":method", request.Method)
            .Add(":scheme", request.Scheme)
            .Add(":authority", request.Authority)
            .Add(":path", request.Path);
        foreach (var (name, value) in request.Headers)
        {
            headers.Add(name, value);
        }

        if (config.AddEnvoyHeaders)
        {
            // The HCM adds these before any HTTP filter runs.
            headers.Set("x-forwarded-proto", request.Scheme);
            if (!headers.Contains("x-request-id"))
            {
                headers.Add("x-request-id", Guid.NewGuid().ToString());
            }
        }

        return headers;
    }

    /// <summary><c>:status</c> first, then the upstream's headers, then what the router adds.</summary>
    public static HttpHeaderList Response(UpstreamResponse upstream, EnvoyFilterConfig config)
    {
        var headers = new HttpHeaderList().Add(":status", upstream.Status.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in upstream.Headers)
        {
            headers.Add(name, value);
        }

        if (config.AddEnvoyHeaders)
        {
            // The router adds this before the encoder filters see the response.
            headers.Set("x-envoy-upstream-service-time", "1");
        }

        return headers;
    }

    public static DownstreamResponse Downstream(DirectionRunner response, bool reset)
    {
        var headers = response.Headers.Clone();
        var status = int.Parse(headers[":status"] ?? "0", CultureInfo.InvariantCulture);
        headers.Remove(":status");
        return new DownstreamResponse { Status = status, Headers = headers, Body = response.Body, Trailers = response.Trailers, Reset = reset };
    }
}
