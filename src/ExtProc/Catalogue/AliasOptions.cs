namespace AiSidecar.ExtProc.Catalogue;

/// <summary>A registry-level alias: <see cref="Name"/> resolves to <see cref="Target"/>, a model or another alias.</summary>
internal sealed class AliasOptions
{
    /// <summary>The name clients send.</summary>
    public string Name { get; set; } = "";

    /// <summary>A model's name or alias.</summary>
    public string Target { get; set; } = "";
}
