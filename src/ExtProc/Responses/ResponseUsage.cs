using System.Buffers;
using System.Text.Json;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Responses;

/// <summary>
/// One exchange's usage, from the request (what was asked, what the server counted) to the response's end: the
/// response body is read as it passes (a JSON body, or an SSE stream event by event), what the model server reported
/// is kept (usage, the model that answered, an error), and at the end the usage, count check and GenAI metrics are
/// recorded once (<see cref="UsageRecorder"/>).
/// </summary>
internal sealed class ResponseUsage
{
    private readonly UsageRecorder _recorder;
    private UsageScanner? _json;
    private SseUsageReader? _sse;
    private SseUsageReader.EventRead? _onEvent;
    private long _chunkAt;
    private bool _recorded;

    public ResponseUsage(UsageRecorder recorder, ApiKind api, string model, string provider, bool stream, bool removeUsageChunk)
    {
        _recorder = recorder;
        Api = api;
        Model = model;
        Provider = provider;
        Stream = stream;
        RemoveUsageChunk = removeUsageChunk;
    }

    /// <summary>The API called.</summary>
    public ApiKind Api { get; }

    /// <summary>The catalogue model the client asked for (<c>gen_ai.request.model</c>); empty outside the catalogue.</summary>
    public string Model { get; }

    /// <summary>The model server's kind (<c>gen_ai.provider.name</c>): <c>vllm</c> unless the pool says otherwise.</summary>
    public string Provider { get; }

    /// <summary>The request asked for a stream.</summary>
    public bool Stream { get; }

    /// <summary>The server injected <c>stream_options.include_usage</c> the client did not ask for: the usage chunk is removed.</summary>
    public bool RemoveUsageChunk { get; }

    /// <summary>The usage the model server reported last; null when none.</summary>
    public TokenUsage? Usage { get; private set; }

    /// <summary>The model the server says answered (<c>gen_ai.response.model</c>); empty when it said none.</summary>
    public string ResponseModel { get; private set; } = "";

    /// <summary>True when the response (or an event of the stream) was an error.</summary>
    public bool Error { get; private set; }

    /// <summary>The body was read as SSE (true) or JSON (false).</summary>
    public bool Sse => _sse is not null;

    /// <summary>When the first content event arrived (a <see cref="TimeProvider"/> timestamp); 0 when none did.</summary>
    public long FirstContentAt { get; private set; }

    /// <summary>When the last content event arrived; 0 when none did.</summary>
    public long LastContentAt { get; private set; }

    /// <summary>The response headers arrived: the body is read as SSE when <c>content-type</c> says so, else as JSON.</summary>
    public void Begin(string? contentType, int? status)
    {
        Error = status >= 400;
        if (contentType is not null && contentType.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            _sse = new SseUsageReader(_recorder.MaxHeldEventBytes);
            _onEvent = OnEvent;
        }
        else
        {
            _json = new UsageScanner();
        }
    }

    /// <summary>Reads one chunk of the response body (replacing it when the usage chunk is removed); records at the last.</summary>
    public void Read(Exchange exchange, ResponseBodyChunk chunk, long now)
    {
        _chunkAt = now;
        if (_sse is not null)
        {
            ArrayBufferWriter<byte>? output = RemoveUsageChunk ? new ArrayBufferWriter<byte>(chunk.Data.Length + 16) : null;
            _sse.Read(chunk.Data.Span, chunk.EndOfStream, _onEvent!, output);
            if (output is not null && (output.WrittenCount != chunk.Data.Length || !output.WrittenSpan.SequenceEqual(chunk.Data.Span)))
            {
                chunk.Replace(output.WrittenMemory);
            }
        }
        else if (_json is not null)
        {
            _json.Feed(chunk.Data.Span);
            if (chunk.EndOfStream)
            {
                OnEvent(_json);
            }
        }

        if (chunk.EndOfStream)
        {
            End(exchange, now);
        }
    }

    /// <summary>The server answered the request itself (a coalesced answer): its body holds the usage.</summary>
    public void Answered(Exchange exchange, ReadOnlySpan<byte> body, long now)
    {
        _json = new UsageScanner();
        _json.Feed(body);
        OnEvent(_json);
        End(exchange, now, local: true);
    }

    private void End(Exchange exchange, long now, bool local = false)
    {
        if (!_recorded)
        {
            _recorded = true;
            _recorder.Record(exchange, this, now, local);
        }
    }

    private void OnEvent(UsageScanner scanner)
    {
        if (scanner.Usage is { Length: > 0 } usage && TokenUsage.TryParse(usage, out var parsed))
        {
            Usage = parsed;
        }

        if (scanner.Model is { Length: > 0 } model && ResponseModel.Length == 0 && StringValue(model) is { Length: > 0 } name)
        {
            ResponseModel = name.Length > 128 ? name[..128] : name;
        }

        var type = scanner.Type;
        if (IsError(scanner, type))
        {
            Error = true;
        }

        if (scanner.HasChoices || (type.Length > 0 && type.EndsWith(".delta\""u8)))
        {
            LastContentAt = _chunkAt;
            if (FirstContentAt == 0)
            {
                FirstContentAt = _chunkAt;
            }
        }
    }

    /// <summary>
    /// vLLM's nested (<c>{"error":{...}}</c>) and flat (<c>{"object":"error","message":...}</c>) shapes, and the
    /// Responses API's <c>error</c> and <c>response.failed</c> events.
    /// </summary>
    private static bool IsError(UsageScanner scanner, ReadOnlySpan<byte> type) =>
        (scanner.Error is { Length: > 0 } error && !error.Trim(" \t\r\n"u8).SequenceEqual("null"u8))
        || scanner.Object.Trim(" \t\r\n"u8).SequenceEqual("\"error\""u8)
        || type.Trim(" \t\r\n"u8) is var t && (t.SequenceEqual("\"error\""u8) || t.SequenceEqual("\"response.failed\""u8));

    private static string? StringValue(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
