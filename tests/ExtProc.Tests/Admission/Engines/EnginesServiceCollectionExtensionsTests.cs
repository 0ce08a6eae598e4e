using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Admission.Engines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Tests.Admission.Engines;

public sealed class EnginesServiceCollectionExtensionsTests
{
    [Fact]
    public void AddEngineLoad_ScrapingClient_KeepsOneHandlerThatRenewsItsConnectionsItself()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(new AdmissionOptions()));
        services.AddEngineLoad();
        using var provider = services.BuildServiceProvider();

        // The factory's default replaces the handler every 2 minutes, reconnecting to every endpoint (the telemetry
        // benchmark saw 50 new connections per replacement); the handler's own connection lifetime does the renewing.
        var options = provider.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get(EngineScraper.HttpClientName);
        Assert.Equal(Timeout.InfiniteTimeSpan, options.HandlerLifetime);
        HttpMessageHandler? handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(EngineScraper.HttpClientName);
        while (handler is DelegatingHandler outer)
        {
            handler = outer.InnerHandler;
        }

        var sockets = Assert.IsType<SocketsHttpHandler>(handler);
        Assert.Equal(TimeSpan.FromMinutes(10), sockets.PooledConnectionLifetime);
    }
}
