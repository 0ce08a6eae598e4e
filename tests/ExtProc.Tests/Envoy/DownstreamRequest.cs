using System.Globalization;
using System.Text;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>The HTTP request as it reaches Envoy's ext_proc filter from the downstream client.</summary>
public sealed record DownstreamRequest
{
    public string Method { get; init; } = "GET";

    public string Path { get; init; } = "/";

    public string Authority { get; init; } = "api.example.com";

    public string Scheme { get; init; } = "http";

    /// <summary>Regular (non-pseudo) headers, in order.</summary>
    public HttpHeaderList Headers { get; init; } = new();

    /// <summary>Body data frames as they arrive; an empty last chunk models a bare END_STREAM frame.</summary>
    public IReadOnlyList<byte[]> BodyChunks { get; init; } = [];

    public HttpHeaderList? Trailers { get; init; }

    public int BodyLength => BodyChunks.Sum(c => c.Length);

    /// <summary>A POST with a body split into chunks of at most <paramref name="chunkSize"/> bytes, with content-type and content-length.</summary>
    public static DownstreamRequest Post(string path, string body, string contentType = "application/json", int chunkSize = 0)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var headers = new HttpHeaderList()
            .Add("content-type", contentType)
            .Add("content-length", bytes.Length.ToString(CultureInfo.InvariantCulture));
        return new DownstreamRequest { Method = "POST", Path = path, Headers = headers, BodyChunks = Split(bytes, chunkSize) };
    }

    public static DownstreamRequest Get(string path) => new() { Method = "GET", Path = path };

    /// <summary>Splits bytes into chunks of at most <paramref name="chunkSize"/> bytes (0: one chunk).</summary>
    public static IReadOnlyList<byte[]> Split(byte[] bytes, int chunkSize)
    {
        if (bytes.Length == 0)
        {
            return [];
        }

        if (chunkSize <= 0 || chunkSize >= bytes.Length)
        {
            return [bytes];
        }

        return bytes.Chunk(chunkSize).ToList();
    }
}
