using AiSidecar.ExtProc.Health;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Tests.Catalogue;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Health;

public sealed class WarmupServiceTests
{
    [Fact]
    public async Task WarmupExchange_CatalogueModel_TakesTheVersionPath()
    {
        using var harness = new PipelineHarness(CatalogueConfigs.Canary());
        var model = harness.Table.Catalog.Models[0].Name;
        await using var exchange = WarmupService.WarmupExchange(harness.Table, harness.Services.GetRequiredService<ExchangeServices>(), model);

        var result = await harness.Pipeline.RunRequestAsync(exchange);

        Assert.True(result.IsContinue, result.Response?.Kind);
        Assert.Equal(model, exchange.Decision!.Model);
        Assert.NotNull(exchange.Decision.Version);
    }

    [Fact]
    public async Task WarmupExchange_NoModel_IsCountedAndRoutedByRange()
    {
        using var harness = new PipelineHarness(AiSidecar.ExtProc.Configuration.ServerConfig.Defaults());
        await using var exchange = WarmupService.WarmupExchange(harness.Table, harness.Services.GetRequiredService<ExchangeServices>(), null);

        await harness.Pipeline.RunRequestAsync(exchange);

        Assert.Null(exchange.Request!.Model);
        Assert.Equal("warm up", Assert.Single(exchange.Request.Messages).Content);
        Assert.Equal("small", exchange.Decision!.TokenRange);
    }
}
