using System.Text.Json;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Configuration;

/// <summary>
/// Reloads without a restart, every <c>server.reloadCheckSeconds</c>: the config file (a mounted ConfigMap) when its
/// content changed, and the tokenizer files the catalogue names. New config content runs through exactly the checks
/// the server ran at start; valid content replaces the routing table (the <c>routing</c> and <c>catalogue</c>
/// sections) with one reference write, invalid content is logged, counted as a failure and ignored: the last good
/// config stays. Changes to sections read only at start are logged as needing a restart.
/// </summary>
internal sealed class ConfigReloader : IHostedService, IDisposable
{
    private readonly LoadedConfig _started;
    private readonly RoutingTableSource _tables;
    private readonly TokenizerCache _tokenizers;
    private readonly ExtProcMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private ServerConfig _current;
    private ITimer? _timer;

    public ConfigReloader(LoadedConfig started, RoutingTableSource tables, TokenizerCache tokenizers, ExtProcMetrics metrics, ILogger<ConfigReloader> logger, TimeProvider time)
    {
        _started = started;
        _current = started.Config;
        _tables = tables;
        _tokenizers = tokenizers;
        _metrics = metrics;
        _logger = logger;
        _time = time;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_started.Config.Server.ReloadCheckSeconds > 0)
        {
            var period = TimeSpan.FromSeconds(_started.Config.Server.ReloadCheckSeconds);
            _timer = _time.CreateTimer(_ => CheckOnTimer(), null, period, period);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary>Checks the config file, then the tokenizer files; says what the config file check did.</summary>
    public ReloadResult CheckForChanges()
    {
        lock (_gate)
        {
            var result = CheckConfigFile();
            _tokenizers.CheckForChanges();
            return result;
        }
    }

    private ReloadResult CheckConfigFile()
    {
        if (_started.File is not { } file)
        {
            return ReloadResult.Unchanged;
        }

        byte[] content;
        try
        {
            if (!file.HasChanged(out content))
            {
                return ReloadResult.Unchanged;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A ConfigMap swap can leave the path missing for a moment: checked again next time.
            ConfigLog.Unreadable(_logger, file.Path, _tables.Current.Generation, ex.Message);
            return ReloadResult.Rejected;
        }

        if (!ConfigLoader.TryLoad(_started.Sources, content, file, out var loaded, out var errors))
        {
            _metrics.ConfigReloaded(success: false);
            ConfigLog.Rejected(_logger, file.Path, _tables.Current.Generation, errors.Count, string.Join(" | ", errors));
            return ReloadResult.Rejected;
        }

        var config = loaded!.Config;
        LogRestartNeeded(file.Path, config);
        var table = RoutingTableSource.Compile(config, _tokenizers, _tables.Current.Generation + 1, _tables.Current.Priority, _tables.Current.StartOnly);
        if (config.Tokenization.Loading == TokenizerLoading.Eager)
        {
            // New tokenizer files load here, off the request path, before the table that names them is in force.
            foreach (var tokenizer in table.Catalog.Tokenizers)
            {
                tokenizer.Slot.Get();
            }
        }

        _tables.Replace(table);
        _current = config;
        _metrics.ConfigReloaded(success: true);
        ConfigLog.Reloaded(_logger, file.Path, _tables.Current.Generation);
        return ReloadResult.Reloaded;
    }

    private void LogRestartNeeded(string path, ServerConfig next)
    {
        (string Section, object Before, object After)[] startOnly =
        [
            ("server", _current.Server, next.Server),
            ("processing", _current.Processing, next.Processing),
            ("inspection", _current.Inspection, next.Inspection),
            ("tokenization", _current.Tokenization, next.Tokenization),
            ("telemetry", _current.Telemetry, next.Telemetry),
            ("memory", _current.Memory, next.Memory),
            ("admission", _current.Admission, next.Admission),
            ("coalescing", _current.Coalescing, next.Coalescing),
            ("responses", _current.Responses, next.Responses),
            ("redis", _current.Redis, next.Redis),
            ("budgets", _current.Budgets, next.Budgets),
            ("cache", _current.Cache, next.Cache),
        ];
        foreach (var (section, before, after) in startOnly)
        {
            if (JsonSerializer.Serialize(before) != JsonSerializer.Serialize(after))
            {
                ConfigLog.NeedsRestart(_logger, path, section);
            }
        }
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
            ConfigLog.CheckFailed(_logger, ex, _started.Sources.Label);
        }
    }
}
