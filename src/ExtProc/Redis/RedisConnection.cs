using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiSidecar.ExtProc.Redis;

/// <summary>
/// The server's one Redis multiplexer, for its whole life: connected at start (a Redis that is down does not hold the
/// start: it reconnects in the background), and every call bounded by <see cref="RedisOptions.OperationTimeoutMs"/>.
/// A call made while disconnected fails at once (no backlog), so Redis down or slow never holds a request past its
/// budget; each failure is counted (<c>extproc_redis_errors_total</c>) and left to the caller's policy.
/// </summary>
internal sealed class RedisConnection(IOptions<RedisOptions> options, ExtProcMetrics metrics, TimeProvider time, ILogger<RedisConnection> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly RedisOptions _options = options.Value;
    private ConnectionMultiplexer? _multiplexer;

    /// <summary>True when <c>redis.endpoints</c> names a server.</summary>
    public bool Configured => _options.Endpoints.Count > 0;

    /// <summary>True while the multiplexer has a connection (it reconnects in the background when not).</summary>
    public bool IsConnected => _multiplexer?.IsConnected == true;

    /// <summary>The key prefix (<c>redis.keyPrefix</c>).</summary>
    public string KeyPrefix => _options.KeyPrefix;

    /// <summary>Runs <paramref name="call"/> on the database within the operation timeout; throws <see cref="RedisUnavailableException"/> on any failure.</summary>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> call, string operation)
    {
        if (_multiplexer is not { } multiplexer)
        {
            metrics.RedisError(operation, RedisOperation.NotConnected);
            throw new RedisUnavailableException("not connected");
        }

        try
        {
            return await call(multiplexer.GetDatabase(_options.Database)).WaitAsync(TimeSpan.FromMilliseconds(_options.OperationTimeoutMs), time).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            metrics.RedisError(operation, RedisOperation.Timeout);
            throw new RedisUnavailableException("timeout", ex);
        }
        catch (RedisException ex)
        {
            metrics.RedisError(operation, ex is RedisConnectionException ? RedisOperation.Connection : RedisOperation.Error);
            throw new RedisUnavailableException(ex.GetType().Name, ex);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Configured)
        {
            return;
        }

        metrics.RedisErrorsStartAtZero(RedisOperation.All, RedisOperation.Errors);

        // Replies are read on the client's own threads (its default), not on the .NET thread pool: with the pool's
        // threads busy (counting prompts, or anything blocking), a reply that has arrived would wait for one before it
        // is even read, and the timeout could come first, failing budgets open. The awaiting code resumes on the pool
        // either way; own readers complete the call on arrival (docs/benchmarks.md, "Token budgets and the response cache").
        var config = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ConnectTimeout = _options.ConnectTimeoutMs,
            SyncTimeout = _options.OperationTimeoutMs,
            AsyncTimeout = _options.OperationTimeoutMs,
            DefaultDatabase = _options.Database,
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectRetry = 1,
            ClientName = "aisidecar-extproc",
        };
        foreach (var endpoint in _options.Endpoints)
        {
            config.EndPoints.Add(endpoint);
        }

        if (_options.PasswordFile.Length > 0)
        {
            try
            {
                config.Password = (await File.ReadAllTextAsync(_options.PasswordFile, cancellationToken).ConfigureAwait(false)).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                RedisLog.PasswordUnreadable(logger, _options.PasswordFile, ex.Message);
            }
        }

        _multiplexer = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
        _multiplexer.ConnectionFailed += (_, e) => RedisLog.ConnectionChanged(logger, e.EndPoint?.ToString() ?? "", "failed: " + e.FailureType);
        _multiplexer.ConnectionRestored += (_, e) => RedisLog.ConnectionChanged(logger, e.EndPoint?.ToString() ?? "", "restored");
        if (!_multiplexer.IsConnected)
        {
            RedisLog.ConnectFailed(logger, string.Join(",", _options.Endpoints), "no connection yet");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is { } multiplexer)
        {
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>A Redis call failed, timed out, or found no connection.</summary>
internal sealed class RedisUnavailableException(string reason, Exception? inner = null)
    : Exception($"Redis is unavailable: {reason}", inner);
