using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Metrics;
using AiSidecar.GpuAgent.Sampling;
using Grpc.Core;
using GpuAgentApi = AiSidecar.GpuAgent.Api.V1.GpuAgent;

namespace AiSidecar.GpuAgent.Api;

/// <summary>Serves snapshots from the <see cref="SnapshotHub"/>; no call here ever reaches NVML.</summary>
internal sealed class GpuAgentGrpcService(SnapshotHub hub, AgentMetrics metrics) : GpuAgentApi.GpuAgentBase
{
    public override Task<NodeSnapshot> GetSnapshot(GetSnapshotRequest request, ServerCallContext context) =>
        Task.FromResult(hub.Latest);

    public override async Task Watch(WatchRequest request, IServerStreamWriter<NodeSnapshot> responseStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        using var subscription = hub.Subscribe();
        metrics.SetWatchSubscribers(hub.SubscriberCount);
        try
        {
            ulong lastSequence = 0;
            ulong lastContent = 0;
            var latest = hub.Latest;
            if (latest.Sequence > 0)
            {
                await responseStream.WriteAsync(latest, cancellationToken).ConfigureAwait(false);
                (lastSequence, lastContent) = (latest.Sequence, latest.ContentVersion);
            }

            await foreach (var snapshot in subscription.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (snapshot.Sequence <= lastSequence || (request.OnlyOnChange && snapshot.ContentVersion == lastContent))
                {
                    continue;
                }

                await responseStream.WriteAsync(snapshot, cancellationToken).ConfigureAwait(false);
                (lastSequence, lastContent) = (snapshot.Sequence, snapshot.ContentVersion);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The subscriber went away.
        }
        finally
        {
            subscription.Dispose();
            metrics.SetWatchSubscribers(hub.SubscriberCount);
        }
    }
}
