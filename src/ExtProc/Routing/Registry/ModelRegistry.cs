using AiSidecar.ExtProc.Errors;

namespace AiSidecar.ExtProc.Routing.Registry;

/// <summary>
/// The compiled registry: resolves a requested name to a model (aliases followed, the default for unknown names)
/// and picks a version: the experiment header through the model's allow-list, else the sticky bucket of the
/// request's key, else the no-key rule.
/// </summary>
internal sealed class ModelRegistry
{
    public const string RequestIdHeader = "x-request-id";

    private readonly Dictionary<string, ModelEntry> _byName = new(StringComparer.Ordinal);
    private readonly StickyKeyOptions[] _keys;
    private readonly bool _hashRequestId;

    private ModelRegistry(ModelRegistryOptions options)
    {
        var models = options.Models.ToDictionary(m => m.Name, m => new ModelEntry(m), StringComparer.Ordinal);
        foreach (var (name, model) in new ModelNames(options).All())
        {
            _byName[name] = models[model];
        }

        Models = [.. models.Values];
        Default = options.DefaultModel is { Length: > 0 } fallback ? _byName[fallback] : null;
        ModelTypeHeader = options.ModelTypeHeader;
        ExperimentHeader = options.ExperimentHeader;
        _keys = [.. options.Stickiness.Keys];
        _hashRequestId = options.Stickiness.NoKey == "requestId";
        InputHeaders = [.. new[] { ModelTypeHeader, ExperimentHeader }
            .Concat(_keys.Where(k => k.Header is not null).Select(k => k.Header!))
            .Concat(_hashRequestId ? [RequestIdHeader] : [])
            .Distinct(StringComparer.Ordinal)];
    }

    public IReadOnlyList<ModelEntry> Models { get; }

    /// <summary>The model for unknown or missing names; null when unknown names are refused.</summary>
    public ModelEntry? Default { get; }

    public string ModelTypeHeader { get; }

    public string ExperimentHeader { get; }

    /// <summary>The request headers decisions read.</summary>
    public IReadOnlyList<string> InputHeaders { get; }

    /// <summary>Compiles validated options; null when the registry is off.</summary>
    public static ModelRegistry? Compile(ModelRegistryOptions options) => options.IsEnabled ? new ModelRegistry(options) : null;

    /// <summary>The model <paramref name="name"/> resolves to, else the default model, else null.</summary>
    public ModelEntry? Find(string? name) => name is not null && _byName.TryGetValue(name, out var model) ? model : Default;

    /// <summary>
    /// Reads the model-type header: <c>chat</c> asks to convert a completions request to chat; <c>completions</c> or
    /// no header leaves it; any other value is an error.
    /// </summary>
    public bool TryReadModelType(RequestHeaderValues headers, out bool chat, out ApiError? error)
    {
        var value = headers.Get(ModelTypeHeader);
        chat = value == "chat";
        error = chat || value is null or "" or "completions" or "completion" ? null
            : ApiErrors.InvalidHeader(ModelTypeHeader, "chat or completions");
        return error is null;
    }

    /// <summary>Picks the request's version; an experiment value outside the model's allow-list is an error.</summary>
    public bool TrySelect(ModelEntry model, RequestHeaderValues headers, string? user, out VersionChoice choice, out ApiError? error)
    {
        error = null;
        if (headers.Get(ExperimentHeader) is { Length: > 0 } experiment)
        {
            if (model.Experiments.TryGetValue(experiment, out var pinned))
            {
                choice = new VersionChoice(pinned, VersionChoice.Experiment, null);
                return true;
            }

            choice = default;
            error = ApiErrors.UnknownExperiment(ExperimentHeader, experiment, model.Name);
            return false;
        }

        if (StickyKey(headers, user) is { } key)
        {
            var bucket = StickyBuckets.Of(model.Name, key);
            choice = new VersionChoice(model.ForBucket(bucket), VersionChoice.Weighted, bucket);
            return true;
        }

        choice = new VersionChoice(model.Primary, VersionChoice.Primary, null);
        return true;
    }

    private string? StickyKey(RequestHeaderValues headers, string? user)
    {
        foreach (var source in _keys)
        {
            var value = source.Header is { } header ? headers.Get(header) : user;
            if (!string.IsNullOrEmpty(value))
            {
                return value;
            }
        }

        return _hashRequestId && headers.Get(RequestIdHeader) is { Length: > 0 } id ? id : null;
    }
}
