using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Admission.Engines;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>DI registration of engine scraping.</summary>
internal static class EnginesServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="EngineLoad"/> and its <see cref="EngineScraper"/>, with the scraping HTTP client. Its pipeline,
    /// outermost first: a resilience handler with only an attempt timeout of <c>admission.scrape.timeoutMs</c> (no
    /// retry, no hedging, no circuit breaker: the next tick is the retry, so a slow fleet never gets a storm), the page
    /// size limit, then pooled connections (one <see cref="SocketsHttpHandler"/>, kept alive between ticks). The
    /// factory never replaces that handler (its default would every 2 minutes, reconnecting to every endpoint while the
    /// old connections idle out): the handler itself renews each connection after <c>PooledConnectionLifetime</c>,
    /// which also picks up DNS changes of endpoints given by name. Nothing logs per scrape: the factory's request
    /// logging is removed (4 lines per scrape at Information) and the pipeline's Polly telemetry logs nothing (a
    /// timeout at Error, every tick for a hung endpoint; each execution at Debug); <see cref="EngineLoad"/> logs each
    /// endpoint going down and coming back.
    /// </summary>
    public static IServiceCollection AddEngineLoad(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAddressResolver, DnsAddressResolver>();
        services.TryAddSingleton<EngineLoad>();
        services.AddHostedService<EngineScraper>();
        services.AddHttpClient(EngineScraper.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
                PooledConnectionLifetime = TimeSpan.FromMinutes(10),
                ConnectTimeout = TimeSpan.FromSeconds(5),
                UseProxy = false,
                UseCookies = false,
                AllowAutoRedirect = false,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .AddHttpMessageHandler(() => new ScrapeBodyLimitHandler())
            .AddResilienceHandler(EngineScraper.HttpClientName, static (pipeline, context) =>
            {
                var scrape = context.ServiceProvider.GetRequiredService<IOptions<AdmissionOptions>>().Value.Scrape;
                pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = TimeSpan.FromMilliseconds(scrape.TimeoutMs) });
                pipeline.ConfigureTelemetry(new TelemetryOptions(context.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value)
                {
                    LoggerFactory = NullLoggerFactory.Instance,
                });
            });
        return services;
    }
}
