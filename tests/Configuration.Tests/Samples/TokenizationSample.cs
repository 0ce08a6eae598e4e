namespace AiSidecar.Configuration.Tests.Samples;

internal sealed class TokenizationSample
{
    public EncodingName Encoding { get; set; } = EncodingName.O200kBase;

    public LoadingMode Loading { get; set; } = LoadingMode.Lazy;

    public BodyMode? BodyMode { get; set; }

    public List<ModelTokenizerSample> Models { get; set; } = [];
}
