using AiSidecar.ExtProc.Health;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.ExtProc.Tests.Routing.Registry;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Tests.Health;

public sealed class WarmupServiceTests
{
    private sealed class FixedCounter : ITokenCounter
    {
        public string Name => "fixed";

        public int CountPrompt(InferenceRequest request) => 7;
    }

    [Fact]
    public void WarmupBody_RegistryModel_TakesTheRegistryPath()
    {
        var tables = new FixedRoutingTables(RegistryConfigs.Canary());
        var pipeline = new InferencePipeline(new RequestInspector(), new FixedCounter(), tables);
        var model = tables.Current.Registry!.Models[0].Name;

        var outcome = pipeline.Run(ApiKind.ChatCompletions, WarmupService.WarmupBody(model));

        Assert.Equal(model, outcome.Decision!.Model);
        Assert.NotNull(outcome.Decision.Version);
    }

    [Fact]
    public void WarmupBody_NoRegistry_CountsWithoutAModel()
    {
        var request = new RequestInspector().Inspect(ApiKind.ChatCompletions, WarmupService.WarmupBody(null));

        Assert.Null(request.Model);
        Assert.Equal("warm up", Assert.Single(request.Messages).Content);
    }
}
