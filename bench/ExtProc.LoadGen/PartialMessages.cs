using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using AiSidecar.ExtProc.Bench;
using Google.Protobuf;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// ext_proc streams that send request headers, then a body message that announces <c>announced</c> bytes and sends
/// only <c>sent</c> of them, and stall: what the server buffers for incomplete gRPC messages. Written on raw HTTP/2
/// (a gRPC client cannot send half a message).
/// </summary>
internal sealed class PartialMessages(Uri target, int announced, int sent) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = false }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Opens <paramref name="count"/> stalled streams; each ends when <paramref name="release"/> fires. The task gives each stream's outcome.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(int count, CancellationToken release)
    {
        // A small content-length: the server cannot refuse the request on its headers and waits for the body message.
        var headers = Frame(EnvoyMessages.Create(new byte[1024]).RequestHeaders.ToByteArray());
        var streams = Enumerable.Range(0, count).Select(_ => OneAsync(headers, release)).ToList();
        return await Task.WhenAll(streams).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private static byte[] Frame(byte[] message)
    {
        var framed = new byte[5 + message.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1), message.Length);
        message.CopyTo(framed, 5);
        return framed;
    }

    private async Task<string> OneAsync(byte[] headersFrame, CancellationToken release)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(target, "/envoy.service.ext_proc.v3.ExternalProcessor/Process"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StalledContent(headersFrame, announced, sent, release),
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, release).ConfigureAwait(false);
            var status = response.TrailingHeaders.TryGetValues("grpc-status", out var values) ? values.First() : "?";
            await response.Content.ReadAsByteArrayAsync(release).ConfigureAwait(false);
            return response.TrailingHeaders.TryGetValues("grpc-status", out values) ? $"partial_grpc_status_{values.First()}" : $"partial_http_{(int)response.StatusCode}_{status}";
        }
        catch (OperationCanceledException)
        {
            return "partial_stalled_until_reset";
        }
        catch (HttpRequestException e)
        {
            return $"partial_error_{e.HttpRequestError}";
        }
    }

    /// <summary>The request body: the headers message, then the announced body message's first <c>sent</c> bytes, then nothing until released.</summary>
    private sealed class StalledContent : HttpContent
    {
        private readonly byte[] _headersFrame;
        private readonly int _announced;
        private readonly int _sent;
        private readonly CancellationToken _release;

        public StalledContent(byte[] headersFrame, int announced, int sent, CancellationToken release)
        {
            (_headersFrame, _announced, _sent, _release) = (headersFrame, announced, sent, release);
            Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var (headersFrame, announced, sent, release) = (_headersFrame, _announced, _sent, _release);
            await stream.WriteAsync(headersFrame, release).ConfigureAwait(false);
            var prefix = new byte[5];
            BinaryPrimitives.WriteInt32BigEndian(prefix.AsSpan(1), announced);
            await stream.WriteAsync(prefix, release).ConfigureAwait(false);
            var chunk = new byte[64 * 1024];
            for (var written = 0; written < sent; written += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, sent - written)), release).ConfigureAwait(false);
            }

            await stream.FlushAsync(release).ConfigureAwait(false);
            await Task.Delay(Timeout.Infinite, release).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
