namespace AiSidecar.ExtProc.Catalogue;

/// <summary>What a request for a model outside the catalogue gets (<c>catalogue.unknownModels</c>).</summary>
internal enum UnknownModelPolicy
{
    /// <summary>Counted with the default tokenizer and routed by token range.</summary>
    Route,

    /// <summary>404 <c>model_not_found</c> (400 when the request names no model).</summary>
    Reject,

    /// <summary>Treated as a request for <c>catalogue.defaultModel</c>.</summary>
    Default,
}
