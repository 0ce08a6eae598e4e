using System.Text;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>The server's decision services on a config, driving the request stages over one exchange at a time.</summary>
internal sealed class PipelineHarness : IDisposable
{
    public PipelineHarness(LoadedConfig config, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddExtProcCore(config);
        configure?.Invoke(services);
        Services = services.BuildServiceProvider();
    }

    public PipelineHarness(ServerConfig config, Action<IServiceCollection>? configure = null)
        : this(TestConfigs.Of(config), configure)
    {
    }

    public ServiceProvider Services { get; }

    public RoutingTable Table => Services.GetRequiredService<IRoutingTableSource>().Current;

    public ExchangePipeline Pipeline => Services.GetRequiredService<ExchangePipeline>();

    /// <summary>A fresh exchange for a POST to <paramref name="path"/> with <paramref name="headers"/> captured as the server would.</summary>
    public Exchange NewExchange(ApiKind kind, string path, string body, params (string Name, string Value)[] headers)
    {
        var table = Table;
        var head = new RequestHead
        {
            Method = "POST",
            Path = path,
            Captured = new CapturedHeaders(headers.Where(h => table.CapturedHeaders.Contains(h.Name)).Select(h => KeyValuePair.Create(h.Name, h.Value))),
        };
        return new Exchange(table, head, Services.GetRequiredService<ExchangeServices>(), CancellationToken.None) { Api = kind, Body = Encoding.UTF8.GetBytes(body) };
    }

    /// <summary>Runs the request stages over one request.</summary>
    public async Task<PipelineRun> RunAsync(ApiKind kind, string path, string body, params (string Name, string Value)[] headers)
    {
        var exchange = NewExchange(kind, path, body, headers);
        var result = await Pipeline.RunRequestAsync(exchange);
        await exchange.EndAsync(ExchangeEnding.Completed);
        return new PipelineRun(result, exchange);
    }

    public void Dispose() => Services.Dispose();
}

/// <summary>One run of the request stages: the result and the exchange they worked on.</summary>
internal sealed record PipelineRun(StageResult Result, Exchange Exchange)
{
    public RoutingDecision? Decision => Result.IsContinue ? Exchange.Decision : null;

    public ApiError? Error => Result.Response?.Error;

    public ReadOnlyMemory<byte>? ReplacementBody => Exchange.ReplacementBody;
}
