using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Metrics;
using AiSidecar.GpuAgent.Sampling;
using Grpc.Core;
using GpuAgentApi = AiSidecar.GpuAgent.Api.V1.GpuAgent;

namespace AiSidecar.GpuAgent.Api;

/// <summary>
/// Serves snapshots from the <see cref="SnapshotHub"/>; no call here ever reaches NVML. A Watch stream ends (status
/// OK) when its subscriber goes away or when the agent starts stopping: the host's shutdown then waits for no stream,
/// and watchers reconnect with their backoff rather than meeting an abort at the end of the shutdown timeout.
/// </summary>
internal sealed class GpuAgentGrpcService(SnapshotHub hub, AgentMetrics metrics, IHostApplicationLifetime lifetime) : GpuAgentApi.GpuAgentBase
{
    public override Task<NodeSnapshot> GetSnapshot(GetSnapshotRequest request, ServerCallContext context) =>
        Task.FromResult(hub.Latest);

    public override async Task Watch(WatchRequest request, IServerStreamWriter<NodeSnapshot> responseStream, ServerCallContext context)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var cancellationToken = ended.Token;
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
            // The subscriber went away, or the agent is stopping: the stream ends with OK.
        }
        finally
        {
            subscription.Dispose();
            metrics.SetWatchSubscribers(hub.SubscriberCount);
        }
    }
}
