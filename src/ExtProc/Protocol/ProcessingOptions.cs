using System.ComponentModel.DataAnnotations;
using Envoy.Extensions.Filters.Http.ExtProc.V3;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>Options of the <c>processing</c> config section.</summary>
public sealed class ProcessingOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "processing";

    private static readonly string[] BodyModeNames = ["NONE", "STREAMED", "BUFFERED", "BUFFERED_PARTIAL", "FULL_DUPLEX_STREAMED"];

    /// <summary>
    /// The request body mode Envoy is configured with, used when Envoy does not say (it sends
    /// <c>protocol_config</c> from 1.34 on). Default <c>BUFFERED</c>, the mode routing on the body needs.
    /// </summary>
    [Required]
    [AllowedValues("NONE", "STREAMED", "BUFFERED", "BUFFERED_PARTIAL", "FULL_DUPLEX_STREAMED")]
    public string AssumedRequestBodyMode { get; set; } = "BUFFERED";

    /// <summary>The response body mode Envoy is configured with, when Envoy does not say. Default <c>NONE</c>.</summary>
    [Required]
    [AllowedValues("NONE", "STREAMED", "BUFFERED", "BUFFERED_PARTIAL", "FULL_DUPLEX_STREAMED")]
    public string AssumedResponseBodyMode { get; set; } = "NONE";

    /// <summary>Largest request body inspected; larger ones get 413. Default 8 MiB.</summary>
    [Range(1, 1L << 30)]
    public long MaxBodyBytes { get; set; } = 8L << 20;

    internal static ProcessingMode.Types.BodySendMode ParseMode(string name) =>
        (ProcessingMode.Types.BodySendMode)Array.IndexOf(BodyModeNames, name);
}
