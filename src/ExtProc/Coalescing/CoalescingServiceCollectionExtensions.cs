using AiSidecar.ExtProc.Coalescing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers coalescing (the server only: the commands never call an upstream).</summary>
internal static class CoalescingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the coalescing stage, the batcher and the batch-sending client: pooled connections (one
    /// <see cref="SocketsHttpHandler"/>), then per upstream a resilience handler with the circuit breaker around the
    /// call's timeout, no retry.
    /// </summary>
    public static IServiceCollection AddCoalescing(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddCoalesceCodecs();
        services.TryAddSingleton<UpstreamBreakers>();
        services.TryAddSingleton<BearerTokens>();
        services.TryAddSingleton<IUpstreamCaller, UpstreamCaller>();
        services.TryAddSingleton<Coalescer>();
        services.AddHttpClient(UpstreamCaller.HttpClientName, static client =>
            {
                // The resilience pipeline times each call; the answer is read whole, up to its limit.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.MaxResponseContentBufferSize = UpstreamCaller.MaxAnswerBytes;
            })
            // One handler for the server's life: its pool renews connections (PooledConnectionLifetime, for DNS) without
            // the factory's rotation opening a second set beside the first.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(2),
                UseProxy = false,
                UseCookies = false,
                AllowAutoRedirect = false,
            })
            .AddResilienceHandler(UpstreamCaller.HttpClientName, static (pipeline, context) =>
            {
                // The breaker's break and the call's timeout run on the server's clock.
                pipeline.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
                var breaker = context.ServiceProvider.GetRequiredService<IOptions<CoalescingOptions>>().Value.Breaker;
                context.ServiceProvider.GetRequiredService<UpstreamBreakers>().AddTo(pipeline, context.InstanceName, breaker);
                pipeline.AddTimeout(new HttpTimeoutStrategyOptions
                {
                    TimeoutGenerator = static args => ValueTask.FromResult(
                        args.Context.GetRequestMessage()?.Options.TryGetValue(UpstreamCaller.TimeoutKey, out var timeout) == true ? timeout : TimeSpan.FromSeconds(10)),
                });
            })
            .SelectPipelineBy(static _ => static request => UpstreamBreakers.KeyOf(request.RequestUri!));

        // One log line per failed batch is the batcher's; not four per call from the client's own handlers.
        services.AddHttpClient(UpstreamCaller.HttpClientName).RemoveAllLoggers();
        return services.AddRequestStage<CoalesceStage>();
    }
}
