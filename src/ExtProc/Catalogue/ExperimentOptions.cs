namespace AiSidecar.ExtProc.Catalogue;

/// <summary>An experiment open to clients: the experiment header value <see cref="Value"/> pins <see cref="Version"/>.</summary>
internal sealed class ExperimentOptions
{
    /// <summary>The experiment header value.</summary>
    public string Value { get; set; } = "";

    /// <summary>The name of one of the model's versions.</summary>
    public string Version { get; set; } = "";
}
