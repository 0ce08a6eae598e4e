using System.ComponentModel.DataAnnotations;

namespace AiSidecar.Configuration.Tests.Samples;

/// <summary>One property of every supported scalar and collection type.</summary>
internal sealed class ServerSample
{
    [IPAddress]
    public string GrpcAddress { get; set; } = "0.0.0.0";

    [Range(0, 65535)]
    public int GrpcPort { get; set; } = 50051;

    public bool Enabled { get; set; }

    public long MaxBytes { get; set; }

    public byte Priority { get; set; }

    public double Ratio { get; set; }

    public decimal? Price { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public Uri? Endpoint { get; set; }

    public LoadingMode Loading { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];

    public Dictionary<string, RangeSample> Named { get; set; } = [];

    public int[] Ports { get; set; } = [];

    public IReadOnlyList<string> Hosts { get; set; } = [];

    [ConfigFreeForm]
    public Dictionary<string, string> Extra { get; set; } = [];
}
