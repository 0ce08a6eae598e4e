using AiSidecar.ExtProc.Hosting;
using AiSidecar.ExtProc.Protocol;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Health;

/// <summary>
/// The graceful drain on SIGTERM. As soon as shutdown begins the server is not ready (<c>/readyz</c> 503, gRPC health
/// NOT_SERVING), while both listeners stay up: for <c>server.drainDelaySeconds</c>, so that load balancers and health
/// checkers stop sending, then until the open ext_proc streams have finished. Only then does Kestrel stop listening.
/// All of it within <c>server.shutdownTimeoutSeconds</c>; streams still open then are cut (and end as Shutdown).
/// <para/>Runs in <see cref="IHostedLifecycleService.StoppingAsync"/>: before any hosted service stops, Kestrel included.
/// </summary>
internal sealed class DrainService(
    ReadinessState readiness,
    OpenStreams streams,
    IOptions<ServerOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DrainService> logger) : IHostedLifecycleService
{
    private readonly TimeSpan _delay = TimeSpan.FromSeconds(options.Value.DrainDelaySeconds);

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(readiness.MarkDraining);
        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        readiness.MarkDraining();
        HealthLog.Draining(logger, streams.Count, _delay.TotalSeconds);
        try
        {
            if (_delay > TimeSpan.Zero)
            {
                await Task.Delay(_delay, time, cancellationToken).ConfigureAwait(false);
            }

            await streams.WhenNoneAsync(cancellationToken).ConfigureAwait(false);
            HealthLog.Drained(logger);
        }
        catch (OperationCanceledException)
        {
            HealthLog.DrainTimedOut(logger, streams.Count);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
