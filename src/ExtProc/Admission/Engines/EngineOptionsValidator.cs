using AiSidecar.Configuration;

namespace AiSidecar.ExtProc.Admission.Engines;

/// <summary>What binding cannot check of the engine settings, each issue on the key path at fault.</summary>
internal static class EngineOptionsValidator
{
    /// <summary><c>admission.scrape</c>: a scrape must end before the next tick.</summary>
    public static void ValidateScrape(ScrapeOptions scrape, string at, ICollection<ConfigIssue> issues)
    {
        if (scrape.TimeoutMs >= scrape.IntervalMs)
        {
            issues.Add(new($"{at}.timeoutMs", $"{scrape.TimeoutMs} must be below {at}.intervalMs ({scrape.IntervalMs}): a scrape must end before the next one is due."));
        }
    }

    /// <summary><c>catalogue.pools[i].engine</c>: absolute http(s) metrics URLs, a <c>name:port</c> Service, a path; at least one endpoint source.</summary>
    public static void ValidatePool(PoolEngineOptions engine, string at, ICollection<ConfigIssue> issues)
    {
        for (var i = 0; i < engine.Endpoints.Count; i++)
        {
            if (!Uri.TryCreate(engine.Endpoints[i], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
            {
                issues.Add(new($"{at}.endpoints[{i}]", "must be an absolute http:// or https:// URL of the metrics page (http://10.0.0.5:8000/metrics)."));
            }
        }

        if (engine.Service.Length > 0 && !ServiceAddress.TryParse(engine.Service, out _))
        {
            issues.Add(new($"{at}.service", "must be name:port (a headless Service, vllm.llm.svc.cluster.local:8000)."));
        }

        if (!engine.Path.StartsWith('/') || !Uri.TryCreate("http://host" + engine.Path, UriKind.Absolute, out _))
        {
            issues.Add(new($"{at}.path", "must be a URL path starting with '/'."));
        }

        if (engine.Endpoints.Count == 0 && engine.Service.Length == 0)
        {
            issues.Add(new(at, "needs endpoints or a service: there is nothing to scrape."));
        }
    }
}
