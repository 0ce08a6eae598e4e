using AiSidecar.ExtProc.Protocol;
using Envoy.Config.Core.V3;

namespace AiSidecar.ExtProc.Pipeline;

/// <summary>The upstream response as response stages see it, and what they ask of it.</summary>
internal sealed class ExchangeResponse
{
    private HeaderMap? _headers;
    private List<KeyValuePair<string, string>>? _setHeaders;

    /// <summary>The response's <c>:status</c>; null before the response headers arrive (or when Envoy sent none).</summary>
    public int? Status { get; private set; }

    /// <summary>True once the response headers arrived.</summary>
    public bool HeadersArrived { get; private set; }

    /// <summary>When the response headers arrived (a <see cref="TimeProvider"/> timestamp); 0 before.</summary>
    public long ReceivedAt { get; private set; }

    /// <summary>The body mode response stages asked for; the server asks Envoy for it through <c>mode_override</c>.</summary>
    public ResponseBodyMode BodyMode { get; private set; }

    /// <summary>Headers stages set on the response, applied in the reply to the response headers.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> SetHeaders => _setHeaders ?? [];

    /// <summary>The first value of response header <paramref name="name"/> (lower case), or null.</summary>
    public string? Header(string name) => EnvoyHeaders.Find(_headers, name);

    /// <summary>Asks for the response body: chunk by chunk, or whole. The strongest request of all stages wins.</summary>
    public void ReadBody(ResponseBodyMode mode)
    {
        if (mode > BodyMode)
        {
            BodyMode = mode;
        }
    }

    /// <summary>Sets (overwrites) a response header the client will see.</summary>
    public void SetHeader(string name, string value) => (_setHeaders ??= []).Add(new(name, value));

    internal void Arrived(HeaderMap? headers, long at)
    {
        _headers = headers;
        HeadersArrived = true;
        ReceivedAt = at;
        Status = int.TryParse(Header(":status"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status) ? status : null;
    }
}
