using AiSidecar.GpuAgent.Nvml;
using Prometheus;

namespace AiSidecar.GpuAgent.Metrics;

/// <summary>The agent's own health metrics (<c>gpu_agent_*</c>).</summary>
internal sealed class AgentMetrics
{
    private readonly Gauge _nvmlUp;
    private readonly Histogram _sampleDuration;
    private readonly Counter _nvmlErrors;
    private readonly Counter _deviceTimeouts;
    private readonly Counter _xidEvents;
    private readonly Gauge _watchSubscribers;
    private readonly Gauge _podResourcesUp;

    public AgentMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _nvmlUp = factory.CreateGauge("gpu_agent_nvml_up", "1 while NVML is initialized, 0 while it is unavailable.");
        _sampleDuration = factory.CreateHistogram(
            "gpu_agent_sample_duration_seconds",
            "Time to sample every GPU once.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });
        _nvmlErrors = factory.CreateCounter("gpu_agent_nvml_errors_total", "NVML calls that failed, by function and error name.", "function", "error");
        _deviceTimeouts = factory.CreateCounter("gpu_agent_device_timeouts_total", "Device samples that exceeded the NVML call timeout.");
        _xidEvents = factory.CreateCounter("gpu_agent_xid_events_total", "XID events received from NVML.");
        _watchSubscribers = factory.CreateGauge("gpu_agent_watch_subscribers", "Open Watch streams.");
        _podResourcesUp = factory.CreateGauge("gpu_agent_pod_resources_up", "1 while the kubelet pod-resources API answers, 0 otherwise.");
    }

    public void ObserveSample(TimeSpan duration, bool nvmlUp)
    {
        _sampleDuration.Observe(duration.TotalSeconds);
        _nvmlUp.Set(nvmlUp ? 1 : 0);
    }

    public void RecordNvmlError(NvmlException error) => _nvmlErrors.WithLabels(error.Function, error.ErrorName).Inc();

    public void RecordDeviceTimeout() => _deviceTimeouts.Inc();

    public void RecordXid() => _xidEvents.Inc();

    public void SetWatchSubscribers(int count) => _watchSubscribers.Set(count);

    public void SetPodResourcesUp(bool up) => _podResourcesUp.Set(up ? 1 : 0);
}
