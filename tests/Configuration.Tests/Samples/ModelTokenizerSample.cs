namespace AiSidecar.Configuration.Tests.Samples;

internal sealed class ModelTokenizerSample
{
    public string Match { get; set; } = "";

    public EncodingName Encoding { get; set; }
}
