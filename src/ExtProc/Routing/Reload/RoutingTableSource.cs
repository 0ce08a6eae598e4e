using System.IO.Hashing;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Options;
using YamlDotNet.Core;

namespace AiSidecar.ExtProc.Routing.Reload;

/// <summary>
/// Holds the routing table in a volatile reference and polls the config file (a mounted ConfigMap: its symlink
/// swap fires no reliable file event, so the content is compared). New content is bound, validated and compiled
/// off the request path, then swapped in with one reference write; invalid content is logged, counted and ignored.
/// </summary>
internal sealed class RoutingTableSource : IRoutingTableSource, IDisposable
{
    private readonly RoutingConfigSource _source;
    private readonly TrafficMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly ITimer? _timer;
    private volatile RoutingTable _current;
    private ulong? _lastContent;

    public RoutingTableSource(IOptions<RoutingOptions> options, RoutingConfigSource source, TrafficMetrics metrics, ILogger<RoutingTableSource> logger, TimeProvider time)
    {
        _source = source;
        _metrics = metrics;
        _logger = logger;
        _current = RoutingTable.Compile(options.Value, generation: 1);
        _metrics.ConfigGeneration.Set(1);
        if (source.Path is { } path)
        {
            _lastContent = TryRead(path, out var content, out _) ? XxHash64.HashToUInt64(content) : null;
            if (options.Value.ReloadCheckSeconds > 0)
            {
                var period = TimeSpan.FromSeconds(options.Value.ReloadCheckSeconds);
                _timer = time.CreateTimer(_ => CheckOnTimer(), null, period, period);
            }
        }
    }

    public RoutingTable Current => _current;

    /// <summary>Reads the file and swaps in its routing section when the content changed and is valid.</summary>
    public ReloadResult CheckForChanges()
    {
        if (_source.Path is not { } path)
        {
            return ReloadResult.Unchanged;
        }

        lock (_gate)
        {
            if (!TryRead(path, out var content, out var reason))
            {
                // A ConfigMap swap can leave the path missing for a moment: retried at the next check.
                RoutingLog.Unreadable(_logger, path, _current.Generation, reason);
                return ReloadResult.Rejected;
            }

            var hash = XxHash64.HashToUInt64(content);
            if (hash == _lastContent)
            {
                return ReloadResult.Unchanged;
            }

            _lastContent = hash;
            return Apply(path, content);
        }
    }

    public void Dispose() => _timer?.Dispose();

    private ReloadResult Apply(string path, byte[] content)
    {
        IReadOnlyList<string> errors;
        RoutingOptions options;
        try
        {
            if (RoutingConfigReader.TryRead(_source.Build(content), out options, out errors))
            {
                var table = RoutingTable.Compile(options, _current.Generation + 1);
                _current = table;
                _metrics.ConfigReloads.WithLabels("success").Inc();
                _metrics.ConfigGeneration.Set(table.Generation);
                RoutingLog.Reloaded(_logger, path, table.Generation);
                return ReloadResult.Reloaded;
            }
        }
        catch (Exception ex) when (ex is YamlException or FormatException or InvalidDataException)
        {
            errors = [$"the file is not valid YAML: {ex.Message}"];
        }

        _metrics.ConfigReloads.WithLabels("failure").Inc();
        RoutingLog.Rejected(_logger, path, _current.Generation, errors.Count, string.Join(" | ", errors));
        return ReloadResult.Rejected;
    }

    private void CheckOnTimer()
    {
        try
        {
            CheckForChanges();
        }
        catch (Exception ex)
        {
            // The timer thread must never die: the last good table keeps serving.
            RoutingLog.CheckFailed(_logger, ex, _source.Path ?? "");
        }
    }

    private static bool TryRead(string path, out byte[] content, out string reason)
    {
        try
        {
            content = File.ReadAllBytes(path);
            reason = "";
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            content = [];
            reason = ex.Message;
            return false;
        }
    }
}
