using System.ComponentModel.DataAnnotations;

namespace AiSidecar.Configuration.Tests.Samples;

/// <summary>Shaped like the ext_proc server's <c>routing</c> section.</summary>
internal sealed class RoutingSample
{
    public HeaderNamesSample Headers { get; set; } = new();

    public List<RangeSample> Ranges { get; set; } = [];

    public List<string> Models { get; set; } = [];

    public RegistrySample Registry { get; set; } = new();

    [Range(0, 3600)]
    public int ReloadCheckSeconds { get; set; } = 5;
}
