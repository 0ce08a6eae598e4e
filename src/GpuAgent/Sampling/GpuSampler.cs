using AiSidecar.GpuAgent.Metrics;
using AiSidecar.GpuAgent.Nvml;
using Microsoft.Extensions.Options;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Samples every GPU on an interval and publishes one node snapshot per sample.</summary>
/// <remarks>
/// Each device is read on its own thread-pool task, bounded by <see cref="NvmlOptions.CallTimeout"/>: a hung or lost GPU
/// is reported unhealthy while the others keep being sampled. A read still hung at the next tick is not restarted.
/// </remarks>
internal sealed partial class GpuSampler(
    INvml nvml,
    DeviceReader reader,
    NodeSnapshotAssembler assembler,
    SnapshotHub hub,
    XidWatcher xidWatcher,
    AgentMetrics metrics,
    TimeProvider time,
    IOptions<SamplingOptions> sampling,
    IOptions<NvmlOptions> nvmlOptions,
    ILogger<GpuSampler> logger) : BackgroundService
{
    private readonly SemaphoreSlim _sampleGate = new(1, 1);

    /// <summary>Takes one sample now and publishes it (the loop calls this on every tick).</summary>
    public async Task SampleOnceAsync(CancellationToken cancellationToken)
    {
        await _sampleGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var start = time.GetTimestamp();
            IReadOnlyList<Api.V1.GpuDevice> devices = [];
            if (await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false))
            {
                devices = await SampleDevicesAsync(cancellationToken).ConfigureAwait(false);
            }

            var up = _inventory is not null;
            hub.Publish(assembler.Assemble(up, _nvmlError, devices));
            metrics.ObserveSample(time.GetElapsedTime(start), up);
        }
        finally
        {
            _sampleGate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(sampling.Value.Interval, time);
        try
        {
            do
            {
                try
                {
                    await SampleOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    SamplingLog.SamplingFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (await xidWatcher.StopAsync().ConfigureAwait(false))
        {
            nvml.Shutdown();
            return;
        }

        // Never tear NVML down under a thread blocked in nvmlEventSetWait_v2: shut down once it has returned.
        SamplingLog.NvmlShutdownDeferred(logger, xidWatcher.StopTimeout);
        _ = xidWatcher.Exited.ContinueWith(_ => nvml.Shutdown(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public override void Dispose()
    {
        _sampleGate.Dispose();
        base.Dispose();
    }

    private async Task<IReadOnlyList<Api.V1.GpuDevice>> SampleDevicesAsync(CancellationToken cancellationToken)
    {
        var inventory = _inventory!;
        var started = new List<Task>(inventory.Count);
        foreach (var device in inventory)
        {
            if (device.InFlight is { IsCompleted: false })
            {
                continue; // Still inside NVML since an earlier tick: do not pile up threads.
            }

            device.InFlight = Task.Run(() => reader.Read(device), CancellationToken.None);
            started.Add(device.InFlight);
        }

        await Task.WhenAll(started)
            .WaitAsync(nvmlOptions.Value.CallTimeout, time, cancellationToken)
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();

        var devices = new Api.V1.GpuDevice[inventory.Count];
        for (var i = 0; i < inventory.Count; i++)
        {
            devices[i] = Collect(inventory[i]);
        }

        return devices;
    }
}
