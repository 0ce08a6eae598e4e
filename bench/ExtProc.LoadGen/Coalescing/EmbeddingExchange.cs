using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using AiSidecar.ExtProc.Bench;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiSidecar.ExtProc.LoadGen.Coalescing;

/// <summary>
/// One embeddings request as Envoy runs it (request headers SEND, request body BUFFERED, response headers SEND):
/// the request side goes through ext_proc; when the server answers locally (a coalesced answer), that answer is the
/// client's and Envoy closes the stream; when it continues, Envoy sends the (possibly rewritten) body to the engine
/// and the engine's response headers through ext_proc before the client gets the answer.
/// </summary>
internal sealed class EmbeddingExchange(ExternalProcessor.ExternalProcessorClient extProc, HttpClient engine)
{
    private const string CoalescedHeader = "x-ai-coalesced";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>Runs one request.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="stats">Where the request is counted.</param>
    /// <param name="measuring">Asked as the answer arrives: true to time the request.</param>
    /// <param name="cancellation">Ends the request.</param>
    /// <param name="forwardGate">Awaited before a continued request goes to the engine (the memory run holds them there).</param>
    /// <param name="continued">Called when the server lets the request continue to the engine.</param>
    public async Task RunAsync(byte[] body, PathStats stats, Func<bool> measuring, CancellationToken cancellation, Task? forwardGate = null, Action? continued = null)
    {
        var messages = EnvoyMessages.Create(body, "/v1/embeddings");
        var started = Stopwatch.GetTimestamp();
        using var call = extProc.Process(cancellationToken: cancellation);
        try
        {
            await call.RequestStream.WriteAsync(messages.RequestHeaders, cancellation).ConfigureAwait(false);
            var headersReply = await NextAsync(call, cancellation).ConfigureAwait(false);
            if (headersReply.ResponseCase != ProcessingResponse.ResponseOneofCase.RequestHeaders)
            {
                stats.AddError($"{Describe(headersReply)}_for_request_headers");
                return;
            }

            await call.RequestStream.WriteAsync(messages.RequestBody, cancellation).ConfigureAwait(false);
            var bodyReply = await NextAsync(call, cancellation).ConfigureAwait(false);
            var requestSide = Stopwatch.GetTimestamp();
            if (bodyReply.ImmediateResponse is { } local)
            {
                var record = measuring();
                var error = CheckLocal(local);
                await CloseAsync(call, cancellation).ConfigureAwait(false);
                stats.Done(error, local: true, record, started, requestSide, requestSide);
                return;
            }

            if (bodyReply.ResponseCase != ProcessingResponse.ResponseOneofCase.RequestBody)
            {
                stats.AddError($"{Describe(bodyReply)}_for_request_body");
                return;
            }

            continued?.Invoke();
            if (forwardGate is not null)
            {
                await forwardGate.WaitAsync(cancellation).ConfigureAwait(false);
            }

            var forwarded = bodyReply.RequestBody.Response?.BodyMutation?.Body is { IsEmpty: false } rewritten ? rewritten.ToByteArray() : body;
            var engineError = await PostAsync(forwarded, cancellation).ConfigureAwait(false);
            await call.RequestStream.WriteAsync(messages.ResponseHeaders, cancellation).ConfigureAwait(false);
            var responseReply = await NextAsync(call, cancellation).ConfigureAwait(false);
            var done = Stopwatch.GetTimestamp();
            var measured = measuring();
            await CloseAsync(call, cancellation).ConfigureAwait(false);
            stats.Done(engineError ?? (responseReply.ResponseCase == ProcessingResponse.ResponseOneofCase.ResponseHeaders ? null : $"{Describe(responseReply)}_for_response_headers"),
                local: false, measured, started, requestSide, done);
        }
        catch (RpcException ex) when (!cancellation.IsCancellationRequested)
        {
            stats.AddError($"rpc_{ex.StatusCode}");
        }
        catch (HttpRequestException ex)
        {
            stats.AddError($"engine_{ex.HttpRequestError}");
        }
    }

    /// <summary>A coalesced answer: 200, the header saying so, and a body with exactly one embedding.</summary>
    private static string? CheckLocal(ImmediateResponse local)
    {
        var status = (int)local.Status.Code;
        if (status != 200)
        {
            return string.Create(CultureInfo.InvariantCulture, $"local_{status}");
        }

        var header = local.Headers?.SetHeaders.FirstOrDefault(h => h.Header.Key == CoalescedHeader);
        if (header is null || !int.TryParse(header.Header.RawValue.Span, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1)
        {
            return "local_200_without_x_ai_coalesced";
        }

        return OneEmbedding(local.Body.Memory) ? null : "local_200_body_not_one_embedding";
    }

    /// <summary>Sends the body to the engine as Envoy's router would; null when it answered 200 with one embedding.</summary>
    private async Task<string?> PostAsync(byte[] body, CancellationToken cancellation)
    {
        using var content = new ByteArrayContent(body) { Headers = { ContentType = Json } };
        using var response = await engine.PostAsync(new Uri("v1/embeddings", UriKind.Relative), content, cancellation).ConfigureAwait(false);
        var answer = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
        return (int)response.StatusCode != 200 ? string.Create(CultureInfo.InvariantCulture, $"engine_{(int)response.StatusCode}")
            : OneEmbedding(answer) ? null : "engine_body_not_one_embedding";
    }

    private static bool OneEmbedding(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array && data.GetArrayLength() == 1
                && data[0].TryGetProperty("embedding", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task<ProcessingResponse> NextAsync(AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call, CancellationToken cancellation) =>
        await call.ResponseStream.MoveNext(cancellation).ConfigureAwait(false)
            ? call.ResponseStream.Current
            : throw new RpcException(new Status(StatusCode.Unavailable, "The server closed the stream early."));

    /// <summary>Envoy half-closes once it expects nothing more; the server then ends the call.</summary>
    private static async Task CloseAsync(AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call, CancellationToken cancellation)
    {
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        while (await call.ResponseStream.MoveNext(cancellation).ConfigureAwait(false))
        {
        }
    }

    private static string Describe(ProcessingResponse reply) =>
        reply.ImmediateResponse is { } local ? string.Create(CultureInfo.InvariantCulture, $"local_{(int)local.Status.Code}") : reply.ResponseCase.ToString();
}
