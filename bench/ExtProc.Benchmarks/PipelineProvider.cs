using System.Text;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>The server's own decision services (stages, pipeline, protocol, metrics) on a config, as the server loads it.</summary>
internal static class PipelineProvider
{
    /// <summary>Services on <paramref name="yaml"/> (empty: the embedded defaults); <paramref name="configure"/> replaces some.</summary>
    public static ServiceProvider Build(string yaml = "", Action<IServiceCollection>? configure = null)
    {
        var sources = new ConfigSources(null, []);
        var loaded = yaml.Length == 0
            ? ConfigLoader.TryLoad(sources, out var config, out var errors) ? config! : throw new InvalidOperationException(string.Join("\n", errors))
            : ConfigLoader.TryLoad(sources, Encoding.UTF8.GetBytes(yaml), null, out config, out errors) ? config! : throw new InvalidOperationException(string.Join("\n", errors));
        var services = new ServiceCollection().AddLogging();
        configure?.Invoke(services);
        services.AddExtProcCore(loaded);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>A new exchange for one request, as the stream would make it at its request headers.</summary>
    public static Exchange Exchange(IServiceProvider services, ApiKind api, string path, byte[] body, params (string Name, string Value)[] headers)
    {
        var table = services.GetRequiredService<IRoutingTableSource>().Current;
        var head = new RequestHead
        {
            Method = "POST",
            Path = path,
            Captured = new CapturedHeaders(headers.Where(h => table.CapturedHeaders.Contains(h.Name)).Select(h => KeyValuePair.Create(h.Name, h.Value))),
        };
        return new Exchange(table, head, services.GetRequiredService<ExchangeServices>(), CancellationToken.None) { Api = api, Body = body };
    }

    /// <summary>Runs the request stages over one exchange and ends it, as a stream does.</summary>
    public static async ValueTask<RoutingDecision?> DecideAsync(IServiceProvider services, Exchange exchange)
    {
        await using (exchange)
        {
            var result = await services.GetRequiredService<ExchangePipeline>().RunRequestAsync(exchange).ConfigureAwait(false);
            return result.IsContinue ? exchange.Decision : null;
        }
    }
}
