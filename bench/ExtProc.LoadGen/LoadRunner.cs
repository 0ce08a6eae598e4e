using System.Diagnostics;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;
using Grpc.Net.Client;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// N workers, each one ext_proc stream at a time, over M HTTP/2 connections (one <see cref="GrpcChannel"/> with its
/// own handler per connection). Closed loop by default; with a rate, each worker takes the next slot of a fixed
/// schedule. Every loop ends at the deadline or the request count.
/// </summary>
internal sealed class LoadRunner(LoadOptions options, Uri target, byte[] body)
{
    /// <summary>Request numbers for the body stamps; the run's own range, so runs against one server do not repeat prompts.</summary>
    private long _requestNumber = (Environment.TickCount64 % 10_000) * 100_000_000;

    private long _measuredStarted;
    private long _slots;
    private volatile bool _measuring;
    private volatile bool _stop;
    private long _scheduleOrigin;

    /// <summary>Exchanges completed since the start, warm-up included: read by the sampler for throughput over time.</summary>
    private long _completedTotal;

    public long CompletedTotal => Interlocked.Read(ref _completedTotal);

    public bool Stopping => _stop;

    /// <summary>
    /// Starts measuring (after warm-up). A paced run restarts its schedule here, so slots missed while the server was
    /// still warming up do not come back as a catch-up burst inside the measured window.
    /// </summary>
    public void BeginMeasuring()
    {
        if (options.Rate > 0)
        {
            Interlocked.Exchange(ref _scheduleOrigin, Stopwatch.GetTimestamp());
            Interlocked.Exchange(ref _slots, 0);
        }

        _measuring = true;
    }

    /// <summary>Asks every worker to stop after its current exchange.</summary>
    public void Stop() => _stop = true;

    public async Task<WorkerStats> RunAsync(CancellationToken hardStop)
    {
        var channels = Enumerable.Range(0, options.Connections).Select(_ => GrpcChannel.ForAddress(target, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                // One TCP connection per channel, like an Envoy cluster with few connections; streams queue beyond the server's limit.
                EnableMultipleHttp2Connections = false,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                ConnectTimeout = TimeSpan.FromSeconds(5),
            },
            MaxReceiveMessageSize = 16 << 20,
        })).ToArray();
        try
        {
            _scheduleOrigin = Stopwatch.GetTimestamp();
            var workers = Enumerable.Range(0, options.Streams)
                .Select(i => Task.Run(() => WorkerAsync(new ExternalProcessor.ExternalProcessorClient(channels[i % channels.Length]), hardStop), hardStop))
                .ToArray();
            var all = new WorkerStats();
            foreach (var stats in await Task.WhenAll(workers).ConfigureAwait(false))
            {
                all.Add(stats);
            }

            return all;
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    private async Task<WorkerStats> WorkerAsync(ExternalProcessor.ExternalProcessorClient client, CancellationToken hardStop)
    {
        var stats = new WorkerStats();
        var exchange = new EnvoyStreamClient(client, body, stamp: !options.SameBody);
        while (!_stop && !hardStop.IsCancellationRequested)
        {
            var scheduled = long.MaxValue;
            if (options.Rate > 0)
            {
                var slot = Interlocked.Increment(ref _slots) - 1;
                scheduled = Interlocked.Read(ref _scheduleOrigin) + (long)(slot * Stopwatch.Frequency / options.Rate);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, CancellationToken.None).ConfigureAwait(false);
                }
            }

            var record = _measuring;
            if (record && options.Requests is { } limit && Interlocked.Increment(ref _measuredStarted) > limit)
            {
                break;
            }

            try
            {
                if (await exchange.RunAsync(stats, record, scheduled, Interlocked.Increment(ref _requestNumber), hardStop).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref _completedTotal);
                }
            }
            catch (RpcException ex) when (!hardStop.IsCancellationRequested)
            {
                stats.AddError($"rpc_{ex.StatusCode}");
                await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception) when (hardStop.IsCancellationRequested)
            {
                break;
            }
        }

        return stats;
    }
}
