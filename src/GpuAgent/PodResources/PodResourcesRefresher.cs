using AiSidecar.GpuAgent.Metrics;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AiSidecar.GpuAgent.PodResources;

/// <summary>Refreshes the <see cref="PodDeviceMap"/> from the kubelet on an interval.</summary>
internal sealed class PodResourcesRefresher(
    PodResourcesClient client,
    PodDeviceMap map,
    AgentMetrics metrics,
    TimeProvider time,
    IOptions<PodResourcesOptions> options,
    ILogger<PodResourcesRefresher> logger) : BackgroundService
{
    private readonly string[] _prefixes = options.Value.ResourceNamePrefixes
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private bool? _lastUp;

    /// <summary>One refresh: absent socket or failure clears pod labels, never throws.</summary>
    public async Task RefreshOnceAsync(CancellationToken cancellationToken)
    {
        if (!client.SocketExists)
        {
            if (_lastUp != false)
            {
                PodResourcesLog.SocketAbsent(logger, options.Value.SocketPath);
            }

            SetDown();
            return;
        }

        try
        {
            var response = await client.ListAsync(cancellationToken).ConfigureAwait(false);
            var byUuid = PodDeviceMapper.Build(response, _prefixes);
            map.Update(byUuid);
            metrics.SetPodResourcesUp(true);
            if (_lastUp != true)
            {
                PodResourcesLog.MappingAvailable(logger, byUuid.Count);
            }

            _lastUp = true;
        }
        catch (Exception ex) when (ex is RpcException or HttpRequestException or IOException)
        {
            if (_lastUp != false)
            {
                PodResourcesLog.ListFailed(logger, ex);
            }

            SetDown();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            SetDown();
            return;
        }

        using var timer = new PeriodicTimer(options.Value.RefreshInterval, time);
        try
        {
            do
            {
                await RefreshOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void SetDown()
    {
        map.MarkUnavailable();
        metrics.SetPodResourcesUp(false);
        _lastUp = false;
    }
}
