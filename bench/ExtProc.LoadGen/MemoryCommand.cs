using System.Globalization;
using System.Text.RegularExpressions;
using Envoy.Service.ExtProc.V3;
using Grpc.Net.Client;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// The <c>memory</c> command: bursts of large bodies (or stalled partial gRPC messages) against a spawned server,
/// optionally inside a memory cgroup as a pod's limit, sampling its RSS throughout and for a while after; reports
/// what clients got (routed, the server's own answers, Envoy's 504 on its timer, gRPC failures that Envoy turns
/// into 500), the peaks, and when memory came back.
/// </summary>
internal static partial class MemoryCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var o = BurstOptions.Parse(args);
        await using var server = await ServerProcess.StartAsync(o.ServerArgs, LoadOptions.MaxRun + TimeSpan.FromMinutes(2), o.ServerEnvironment, o.Cgroup).ConfigureAwait(false);
        var sampler = new MemorySampler(server.Pid, o.Cgroup, o.SampleEvery);
        using var stopSampling = new CancellationTokenSource();
        var sampling = sampler.RunAsync(stopSampling.Token);
        var write = Console.Out;
        write.WriteLine(FormattableString.Invariant($"memory: body={o.Body} {o.BodyBytes} B, concurrency {o.Concurrency} over {o.Connections} connections, {o.Rounds} round(s), message timeout {o.MessageTimeout.TotalMilliseconds} ms, partial {o.Partial}"));
        write.WriteLine($"server pid {server.Pid}; args [{string.Join(' ', o.ServerArgs)}]; env [{string.Join(' ', o.ServerEnvironment.Select(e => $"{e.Key}={e.Value}"))}]; cgroup {o.Cgroup ?? "none"} (limit {Mb(sampler.Cgroup().Limit)})");
        write.WriteLine(FormattableString.Invariant($"{TimeProvider.System.GetUtcNow():u} nproc {Environment.ProcessorCount}, loadavg {ServerProcessInfo.LoadAverage()}; RSS at start {Mb(ServerProcessInfo.RssKiB(server.Pid) * 1024)}"));

        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var lastEnd = TimeSpan.Zero;
        if (o.Partial > 0)
        {
            lastEnd = await PartialAsync(o, server, sampler, outcomes, write).ConfigureAwait(false);
        }
        else
        {
            var channels = Enumerable.Range(0, o.Connections).Select(_ => GrpcChannel.ForAddress(server.GrpcUri, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false },
                MaxSendMessageSize = null,
            })).ToList();
            var clients = channels.Select(c => new ExternalProcessor.ExternalProcessorClient(c)).ToList();
            for (var round = 0; round < o.Rounds; round++)
            {
                var bodies = Enumerable.Range(0, o.Concurrency).Select(i => BurstBodies.Create(o.Body, o.BodyBytes, (round * o.Concurrency) + i)).ToList();
                var start = sampler.Now;
                var results = await Task.WhenAll(bodies.Select((body, i) => BurstExchange.RunAsync(clients[i % clients.Count], body, o.MessageTimeout))).ConfigureAwait(false);
                lastEnd = sampler.Now;
                foreach (var result in results)
                {
                    outcomes[result] = outcomes.GetValueOrDefault(result) + 1;
                }

                write.WriteLine(FormattableString.Invariant(
                    $"round {round + 1}: {(lastEnd - start).TotalSeconds:F1} s, {Summary(results)}; peak RSS {Mb(sampler.PeakBetween(start, lastEnd))}"));
            }

            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }

        // Idle: does the memory come back? (The server may still be working on bodies whose clients gave up.)
        var deadline = lastEnd + o.Idle;
        while (sampler.Now < deadline && !server.HasExited)
        {
            await Task.Delay(o.SampleEvery).ConfigureAwait(false);
        }

        await stopSampling.CancelAsync().ConfigureAwait(false);
        await sampling.ConfigureAwait(false);
        var samples = sampler.Samples;

        // Settled: from the first sample after which RSS stayed under the threshold to the end.
        var lastHigh = samples.LastOrDefault(s => s.RssBytes >= o.SettleBytes).At;
        var settled = samples.Count > 0 && samples[^1].RssBytes < o.SettleBytes ? Max(lastHigh, lastEnd) - lastEnd : (TimeSpan?)null;
        string At(double seconds) => Mb(samples.LastOrDefault(s => s.At <= lastEnd + TimeSpan.FromSeconds(seconds)).RssBytes);
        var (maxUsage, limit, oomKills) = sampler.Cgroup();
        var failures = outcomes.Where(p => p.Key is "local_500" || p.Key.StartsWith("grpc_", StringComparison.Ordinal)).Sum(p => p.Value);
        write.WriteLine($"outcomes: {string.Join(", ", outcomes.Select(p => $"{p.Key}={p.Value}"))}; 500s (server 500 or gRPC failure): {failures}");
        write.WriteLine(FormattableString.Invariant(
            $"peak RSS (VmHWM) {Mb(sampler.PeakRss())}, sampled peak {Mb(samples.Select(s => s.RssBytes).DefaultIfEmpty(0).Max())}; cgroup max usage {Mb(maxUsage)} of {Mb(limit)}, OOM kills {oomKills?.ToString(CultureInfo.InvariantCulture) ?? "n/a"}; server {(server.HasExited ? "EXITED" : "alive")}"));
        write.WriteLine(FormattableString.Invariant(
            $"after the last burst: RSS +1 s {At(1)}, +10 s {At(10)}, +30 s {At(30)}, +60 s {At(60)}; under {o.SettleBytes / 1_000_000} MB for good after {(settled is { } s ? $"{s.TotalSeconds:F1} s" : "never (within the idle time)")}"));
        if (!server.HasExited)
        {
            await PrintServerCountersAsync(server, write).ConfigureAwait(false);
        }

        write.WriteLine("RSS MB each second: " + string.Join(' ', samples
            .GroupBy(s => (int)s.At.TotalSeconds).Select(g => FormattableString.Invariant($"{g.Key}:{g.Max(s => s.RssBytes) / 1_000_000}"))));
        return failures == 0 && !server.HasExited && settled is not null ? 0 : 1;
    }

    private static async Task<TimeSpan> PartialAsync(BurstOptions o, ServerProcess server, MemorySampler sampler, SortedDictionary<string, int> outcomes, TextWriter write)
    {
        var sent = o.PartialSent ?? (o.PartialAnnounced - 1);
        using var partial = new PartialMessages(server.GrpcUri, o.PartialAnnounced, sent);
        using var release = new CancellationTokenSource(o.PartialHold);
        var start = sampler.Now;
        var results = await partial.RunAsync(o.Partial, release.Token).ConfigureAwait(false);
        var end = sampler.Now;
        foreach (var result in results)
        {
            outcomes[result] = outcomes.GetValueOrDefault(result) + 1;
        }

        write.WriteLine(FormattableString.Invariant(
            $"partial: {o.Partial} streams announcing {o.PartialAnnounced} B, sending {sent} B, stalled {o.PartialHold.TotalSeconds} s: {Summary(results)}; peak RSS {Mb(sampler.PeakBetween(start, end))}"));
        return end;
    }

    private static async Task PrintServerCountersAsync(ServerProcess server, TextWriter write)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync(server.MetricsUri).ConfigureAwait(false);
        var lines = text.Split('\n').Where(l => CounterLine().IsMatch(l)).Select(l => l.Trim());
        write.WriteLine("server counters: " + string.Join("; ", lines));
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Summary(IEnumerable<string> results) =>
        string.Join(", ", results.GroupBy(r => r, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"));

    private static string Mb(long? bytes) => bytes is { } b ? FormattableString.Invariant($"{b / 1_000_000.0:F0} MB") : "n/a";

    [GeneratedRegex("^(extproc_errors_total|extproc_stream_endings_total|extproc_body_budget_bytes)\\{")]
    private static partial Regex CounterLine();
}
