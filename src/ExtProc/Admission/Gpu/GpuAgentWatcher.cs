using AiSidecar.ExtProc.Telemetry;
using AiSidecar.GpuAgent.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using GpuAgentClient = AiSidecar.GpuAgent.Api.V1.GpuAgent.GpuAgentClient;

namespace AiSidecar.ExtProc.Admission.Gpu;

/// <summary>
/// Keeps <see cref="GpuFleet"/> current: one Watch stream (h2c gRPC) per agent, agents from
/// <c>admission.gpuAgents.addresses</c> and from the addresses behind <c>admission.gpuAgents.service</c>, resolved
/// again every <c>resolveSeconds</c> (new addresses are watched, vanished ones dropped). A failed stream is retried
/// after a <see cref="ReconnectBackoff"/> delay that starts over once a stream delivers. Does nothing when no agent is
/// configured. All waits run on the <see cref="TimeProvider"/>.
/// </summary>
internal sealed class GpuAgentWatcher(
    IOptions<AdmissionOptions> options,
    GpuFleet fleet,
    IAddressResolver resolver,
    TimeProvider time,
    ExtProcMetrics metrics,
    ILogger<GpuAgentWatcher> logger) : BackgroundService
{
    /// <summary>Pings on an idle stream, so that an agent gone without a word (a node powered off) is noticed.</summary>
    private static readonly TimeSpan KeepAlivePingDelay = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan KeepAlivePingTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly GpuAgentsOptions _options = options.Value.GpuAgents;
    private readonly Dictionary<string, (CancellationTokenSource Stop, Task Watch)> _watches = new(StringComparer.Ordinal);
    private readonly List<(CancellationTokenSource Stop, Task Watch)> _dropped = [];

    /// <summary>Whether any agent is configured (a static address or a service).</summary>
    public static bool Configured(GpuAgentsOptions options) => options.Addresses.Count > 0 || options.Service.Length > 0;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Configured(_options))
        {
            return;
        }

        metrics.ObserveGpuFleet(() => fleet.Current);
        var statics = _options.Addresses.Select(a => ServiceAddress.TryParse(a, out var parsed) ? parsed.Value.ToString() : a).ToHashSet(StringComparer.Ordinal);
        var service = ServiceAddress.TryParse(_options.Service, out var parsedService) ? parsedService : null;
        var resolved = new HashSet<string>(StringComparer.Ordinal);
        var resolving = true;
        try
        {
            while (true)
            {
                if (service is { } name)
                {
                    resolving = await ResolveAsync(name, resolved, resolving, stoppingToken).ConfigureAwait(false);
                }

                Apply([.. statics, .. resolved], stoppingToken);
                await Task.Delay(service is null ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(_options.ResolveSeconds), time, stoppingToken)
                    .ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            _dropped.AddRange(_watches.Values);
            foreach (var (stop, _) in _dropped)
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }

            await Task.WhenAll(_dropped.Select(w => w.Watch)).ConfigureAwait(false);
            foreach (var (stop, _) in _dropped)
            {
                stop.Dispose();
            }
        }
    }

    /// <summary>Resolves the service into <paramref name="resolved"/>; on failure keeps the last addresses. Returns whether it resolved.</summary>
    private async Task<bool> ResolveAsync(ServiceAddress service, HashSet<string> resolved, bool resolvedBefore, CancellationToken cancellation)
    {
        try
        {
            var addresses = await resolver.ResolveAsync(service.Host, cancellation).ConfigureAwait(false);
            resolved.Clear();
            resolved.UnionWith(addresses.Select(ip => ServiceAddress.Endpoint(ip, service.Port)));
            if (!resolvedBefore)
            {
                GpuAgentLog.ServiceResolved(logger, service, resolved.Count);
            }

            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            if (resolvedBefore)
            {
                GpuAgentLog.ServiceUnresolved(logger, service, ex.Message, resolved.Count);
            }

            return false;
        }
    }

    /// <summary>Starts a watch for each new address and stops those no longer wanted.</summary>
    private void Apply(HashSet<string> wanted, CancellationToken stoppingToken)
    {
        fleet.SetAgents(wanted);
        foreach (var (stop, _) in _dropped.Where(w => w.Watch.IsCompleted))
        {
            stop.Dispose();
        }

        _dropped.RemoveAll(w => w.Watch.IsCompleted);
        foreach (var address in _watches.Keys.Where(a => !wanted.Contains(a)).ToList())
        {
            var watch = _watches[address];
            watch.Stop.Cancel();
            _watches.Remove(address);
            _dropped.Add(watch);
            GpuAgentLog.Dropped(logger, address);
        }

        foreach (var address in wanted.Where(a => !_watches.ContainsKey(a)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _watches[address] = (stop, WatchAsync(address, stop.Token));
            GpuAgentLog.Added(logger, address);
        }
    }

    /// <summary>One agent: Watch, and after each failure wait out the backoff and Watch again, until stopped.</summary>
    private async Task WatchAsync(string address, CancellationToken stop)
    {
        await Task.Yield();
        using var channel = CreateChannel(address);
        var client = new GpuAgentClient(channel);
        var backoff = new ReconnectBackoff(_options);
        var state = LinkState.Connecting;
        var failures = 0;
        try
        {
            while (true)
            {
                string reason;
                try
                {
                    using var call = client.Watch(new WatchRequest(), cancellationToken: stop);
                    await foreach (var update in call.ResponseStream.ReadAllAsync(stop).ConfigureAwait(false))
                    {
                        fleet.Received(address, update);
                        metrics.GpuAgentUpdateReceived();
                        if (state != LinkState.Connected)
                        {
                            state = LinkState.Connected;
                            failures = 0;
                            GpuAgentLog.Connected(logger, address, update.NodeName);
                        }
                    }

                    reason = "the agent ended the stream";
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    reason = ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message;
                }

                fleet.Disconnected(address);
                if (state == LinkState.Connected)
                {
                    GpuAgentLog.Lost(logger, address, reason);
                }
                else if (state == LinkState.Connecting)
                {
                    GpuAgentLog.Unreachable(logger, address, reason);
                }

                state = LinkState.Disconnected;
                await Task.Delay(backoff.Delay(failures++), time, stop).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException && stop.IsCancellationRequested)
        {
            // Stopped: shutting down, or the agent is no longer listed.
        }
    }

    private static GrpcChannel CreateChannel(string address) => GrpcChannel.ForAddress($"http://{address}", new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectTimeout = ConnectTimeout,
            KeepAlivePingDelay = KeepAlivePingDelay,
            KeepAlivePingTimeout = KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        },
        DisposeHttpClient = true,
    });

    private enum LinkState
    {
        Connecting,
        Connected,
        Disconnected,
    }
}
