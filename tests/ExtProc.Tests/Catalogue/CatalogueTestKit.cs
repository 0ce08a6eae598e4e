using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Catalogue;

/// <summary>A compiled routing table and single stages run against it, without the rest of the path.</summary>
internal sealed class CatalogueTestKit : IDisposable
{
    private readonly PipelineHarness _harness;

    public CatalogueTestKit(ServerConfig? config = null) => _harness = new PipelineHarness(config ?? CatalogueConfigs.Canary());

    public RoutingTable Table => _harness.Table;

    /// <summary>The services the stages run on (their metrics among them).</summary>
    public IServiceProvider Services => _harness.Services;

    public ModelCatalog Catalog => Table.Catalog;

    /// <summary>Runs the select stage for model <paramref name="model"/> with these captured headers and body <c>user</c>.</summary>
    public async Task<(StageResult Result, VersionChoice? Choice)> Select(string model, string? user, params (string Name, string Value)[] headers)
    {
        var exchange = Exchange(headers);
        exchange.Request = new InferenceRequest { Kind = ApiKind.ChatCompletions, Model = model, User = user };
        exchange.Model = Catalog.Find(model);
        var result = await _harness.Services.GetServices<IRequestStage>().OfType<SelectVersionStage>().Single().ProcessAsync(exchange);
        return (result, exchange.Choice);
    }

    /// <summary>The version chosen for <paramref name="model"/>; fails the test when the stage refuses.</summary>
    public async Task<VersionChoice> Choose(string model, string? user, params (string Name, string Value)[] headers)
    {
        var (result, choice) = await Select(model, user, headers);
        Assert.True(result.IsContinue, result.Response?.Kind);
        return choice!.Value;
    }

    /// <summary>Runs the resolve stage over an inspected request.</summary>
    public async Task<(StageResult Result, Exchange Exchange)> Resolve(ApiKind api, InferenceRequest request, params (string Name, string Value)[] headers)
    {
        var exchange = Exchange(headers);
        exchange.Api = api;
        exchange.Request = request;
        return (await new ResolveModelStage().ProcessAsync(exchange), exchange);
    }

    public void Dispose() => _harness.Dispose();

    private Exchange Exchange((string Name, string Value)[] headers) =>
        new(Table, new RequestHead { Captured = new CapturedHeaders(headers.Select(h => KeyValuePair.Create(h.Name, h.Value))) },
            _harness.Services.GetRequiredService<ExchangeServices>(), CancellationToken.None);
}
