using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Tests.Catalogue;

public sealed class ResolveModelStageTests : IDisposable
{
    private readonly CatalogueTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private static InferenceRequest Completion(string model) => new() { Kind = ApiKind.Completions, Model = model, Texts = ["hi"] };

    [Theory]
    [InlineData("chat", true)]
    [InlineData("completions", false)]
    [InlineData(null, false)]
    public async Task ProcessAsync_ModelTypeHeader_SaysWhetherToConvert(string? value, bool chat)
    {
        (string, string)[] headers = value is null ? [] : [("x-model-type", value)];

        var (result, exchange) = await _kit.Resolve(ApiKind.Completions, Completion("qwen3"), headers);

        Assert.True(result.IsContinue);
        Assert.Equal(chat, exchange.ConvertToChat);
    }

    [Fact]
    public async Task ProcessAsync_OtherModelTypeValue_Is400InvalidHeader()
    {
        var (result, _) = await _kit.Resolve(ApiKind.Completions, Completion("qwen3"), ("x-model-type", "vision"));

        Assert.Equal(("invalid_header", "x-model-type"), (result.Response!.Error!.Kind, result.Response.Error.Param));
    }
}
