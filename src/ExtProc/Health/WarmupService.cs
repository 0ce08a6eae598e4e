using System.Text;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Health;

/// <summary>
/// Loads the tokenizers and runs one synthetic request through the stages before the first real one (the first
/// request otherwise pays JIT and first-use costs close to Envoy's 200 ms message timeout), then marks the server
/// ready. <see cref="DrainService"/> marks it draining when shutdown begins.
/// </summary>
internal sealed class WarmupService(
    TokenizerCache tokenizers,
    ExchangePipeline pipeline,
    ExchangeServices exchanges,
    IRoutingTableSource tables,
    ReadinessState readiness) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        tokenizers.WarmUp();
        var table = tables.Current;
        await using (var exchange = WarmupExchange(table, exchanges, table.Catalog.Models is [var first, ..] ? first.Name : null))
        {
            await pipeline.RunRequestAsync(exchange).ConfigureAwait(false);
        }

        readiness.MarkWarm(tokenizers.Default.Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A chat request for the catalogue's first model (so the warm-up takes the catalogue path), or for no model.</summary>
    internal static Exchange WarmupExchange(RoutingTable table, ExchangeServices exchanges, string? model)
    {
        var body = model is null
            ? """{"messages":[{"role":"user","content":"warm up"}]}"""
            : $$"""{"model":{{System.Text.Json.JsonSerializer.Serialize(model)}},"messages":[{"role":"user","content":"warm up"}]}""";
        return new Exchange(table, new RequestHead { Method = "POST", Path = "/v1/chat/completions" }, exchanges, CancellationToken.None)
        {
            Api = ApiKind.ChatCompletions,
            Synthetic = true,
            Body = Encoding.UTF8.GetBytes(body),
        };
    }
}
