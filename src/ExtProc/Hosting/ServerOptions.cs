using System.ComponentModel.DataAnnotations;
using AiSidecar.Configuration;

namespace AiSidecar.ExtProc.Hosting;

/// <summary>Options of the <c>server</c> section: listeners, limits and reloading. Read at start.</summary>
internal sealed class ServerOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "server";

    /// <summary>IP address of the gRPC (h2c) listener Envoy connects to. Default <c>0.0.0.0</c>.</summary>
    [Required]
    [IPAddress]
    public string GrpcAddress { get; set; } = "0.0.0.0";

    /// <summary>Port of the gRPC listener. Default 50051; 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int GrpcPort { get; set; } = 50051;

    /// <summary>IP address of the HTTP listener for metrics and probes. Default <c>0.0.0.0</c>.</summary>
    [Required]
    [IPAddress]
    public string HttpAddress { get; set; } = "0.0.0.0";

    /// <summary>Port of the HTTP listener. Default 9090; 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int HttpPort { get; set; } = 9090;

    /// <summary>
    /// Largest gRPC message read: a whole buffered body of <c>processing.maxBodyBytes</c> fits, with 64 KiB to spare.
    /// A larger request body message is never read (the server answers 413). Default 8 MiB + 64 KiB (gRPC's own
    /// default is 4 MB).
    /// </summary>
    [Range(4 << 20, int.MaxValue)]
    public int MaxReceiveMessageBytes { get; set; } = (8 << 20) + (64 << 10);

    /// <summary>Concurrent HTTP/2 streams per connection: Envoy multiplexes every request on few connections. Default 1000.</summary>
    [Range(100, int.MaxValue)]
    public int MaxConcurrentStreams { get; set; } = 1000;

    /// <summary>
    /// How long shutdown (SIGTERM) may take: the drain delay, then open streams finishing while the listeners stay up
    /// (<c>/readyz</c> answers 503); streams still open then are cut. Default 30 s.
    /// </summary>
    [Range(0, 3600)]
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Seconds the server stays up, not ready, at the start of shutdown before it waits for open streams: time for
    /// load balancers and health checkers (Envoy's gRPC health check, kube-proxy) to stop sending. Part of
    /// <see cref="ShutdownTimeoutSeconds"/>. Default 0: in Kubernetes the pod's preStop hook gives that time.
    /// </summary>
    [Range(0, 3600)]
    public int DrainDelaySeconds { get; set; }

    /// <summary>
    /// Seconds between checks of the config file and the tokenizer files for changes: a changed <c>routing</c> or
    /// <c>catalogue</c> section is validated and swapped in, a changed tokenizer file reloaded, without a restart;
    /// 0 turns reloading off. Default 5.
    /// </summary>
    [Range(0, 86400)]
    public int ReloadCheckSeconds { get; set; } = 5;
}
