namespace AiSidecar.ExtProc.Routing;

/// <summary>
/// Options of the <c>routing</c> section: the headers the server writes for the data plane and the request headers a
/// decision reads. Reloaded with the <c>catalogue</c> section.
/// </summary>
internal sealed class RoutingOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "routing";

    /// <summary>Names of the headers the server sets (and removes from clients).</summary>
    public RoutingHeaderNames Headers { get; set; } = new();

    /// <summary>Request header that marks a <c>/v1/completions</c> request for a chat model. Default <c>x-model-type</c>.</summary>
    public string ModelTypeHeader { get; set; } = "x-model-type";

    /// <summary>Request header whose value selects an experiment listed on the model. Default <c>x-experiment</c>.</summary>
    public string ExperimentHeader { get; set; } = "x-experiment";

    /// <summary>How a request's stickiness key is found.</summary>
    public StickinessOptions Stickiness { get; set; } = new();

    /// <summary>Fills the defaults a config file leaves out (lists bound from config replace, never merge).</summary>
    internal void ApplyDefaults()
    {
        if (Stickiness.Keys.Count == 0)
        {
            Stickiness.Keys = StickinessOptions.DefaultKeys();
        }
    }
}
