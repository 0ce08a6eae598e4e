using System.Globalization;
using System.Text;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>The response the upstream sends back to Envoy for a forwarded request.</summary>
public sealed record UpstreamResponse
{
    public int Status { get; init; } = 200;

    /// <summary>Regular (non-pseudo) headers, in order.</summary>
    public HttpHeaderList Headers { get; init; } = new();

    public IReadOnlyList<byte[]> BodyChunks { get; init; } = [];

    public HttpHeaderList? Trailers { get; init; }

    public static UpstreamResponse Json(string body, int status = 200, int chunkSize = 0)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var headers = new HttpHeaderList()
            .Add("content-type", "application/json")
            .Add("content-length", bytes.Length.ToString(CultureInfo.InvariantCulture));
        return new UpstreamResponse { Status = status, Headers = headers, BodyChunks = DownstreamRequest.Split(bytes, chunkSize) };
    }

    /// <summary>A 204 with no body: Envoy sends the response headers with end_of_stream=true.</summary>
    public static UpstreamResponse NoContent() => new() { Status = 204 };
}
