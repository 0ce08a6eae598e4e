namespace AiSidecar.Interop.Tests.WireCompatibility;

/// <summary>What comparing our protos with Envoy's found.</summary>
internal sealed class SchemaDiff
{
    /// <summary>Differences that would break the wire or JSON form.</summary>
    public List<string> Mismatches { get; } = [];

    /// <summary>Messages, fields and enum values we declare that Envoy's copy lacks.</summary>
    public List<string> Additions { get; } = [];

    /// <summary>Envoy fields that were found in ours and compared.</summary>
    public int ComparedFields { get; set; }
}
