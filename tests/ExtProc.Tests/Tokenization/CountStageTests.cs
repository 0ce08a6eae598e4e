using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.ExtProc.Tests.Pipeline;
using AiSidecar.ExtProc.Tokenization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Tokenization;

/// <summary>The count stage in the pipeline: an upper bound is routed on and flagged; a large count stops with its exchange.</summary>
public sealed class CountStageTests
{
    private readonly FakeTimeProvider _time = new();

    /// <summary>About 100 KB of natural text: large enough to be counted under the hold cancellation.</summary>
    private static readonly string LargeText = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 2300));

    private static readonly string LargeChat = InferenceBodies.Chat(LargeText);

    private PipelineHarness Harness(params IRequestStage[] stages) => new(ServerConfig.Defaults(), services =>
    {
        services.AddSingleton<TimeProvider>(_time);
        foreach (var stage in stages)
        {
            services.AddSingleton(stage);
        }
    });

    [Fact]
    public async Task RunAsync_RunLongerThanTheLimit_RoutesOnTheBoundAndFlagsIt()
    {
        using var harness = Harness();
        var body = InferenceBodies.Chat("Summarise this: " + new string('a', 100_000));

        var run = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", body);

        var counter = harness.Services.GetRequiredService<TokenizerCache>().Default.Resolve();
        var exact = new PromptCounter(counter.Tokenizer, counter.Format, 85, maxMergeBytes: 0).Count(run.Exchange.Request!);
        Assert.True(exact.Exact);
        Assert.False(run.Exchange.PromptTokensExact);
        Assert.False(run.Decision!.PromptTokensExact);
        Assert.InRange(run.Decision.PromptTokens, exact.Tokens + 1, 100_100);
        Assert.Equal("large", run.Decision.TokenRange);
        Assert.Equal(1, await ScrapedMetrics.ValueAsync(harness.Services, "extproc_tokenizer_upper_bounds_total{tokenizer=\"o200k_base\"}"));
    }

    [Fact]
    public async Task RunAsync_NaturalText_IsExactAndNotCountedAsABound()
    {
        using var harness = Harness();

        var run = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", LargeChat);

        Assert.True(run.Decision!.PromptTokensExact);
        Assert.Equal(ExpectedTokens.Chat(("user", LargeText)), run.Decision.PromptTokens);
        Assert.Equal(0, await ScrapedMetrics.ValueAsync(harness.Services, "extproc_tokenizer_upper_bounds_total{tokenizer=\"o200k_base\"}"));
    }

    [Fact]
    public async Task RunAsync_DeadlinePassesBeforeALargeCount_Answers504WithoutCounting()
    {
        // The stage before the count spends the whole hold budget (180 ms of the default 200 ms message timeout).
        var slow = new ScriptedStage(StageOrder.Count - 1, e =>
        {
            _ = e.HoldCancellation;
            _time.Advance(TimeSpan.FromMilliseconds(200));
            return ValueTask.FromResult(StageResult.Continue);
        });
        using var harness = Harness(slow);

        var run = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", LargeChat);

        Assert.Equal((504, "deadline_exceeded"), (run.Result.Response!.Status, run.Result.Response.Kind));
        Assert.Null(run.Exchange.PromptTokens);
        Assert.Null(run.Exchange.Decision);
    }

    [Fact]
    public async Task RunAsync_StreamEndedBeforeALargeCount_StopsWithoutAnAnswer()
    {
        using var abort = new CancellationTokenSource();
        using var harness = Harness();
        var template = harness.NewExchange(ApiKind.ChatCompletions, "/v1/chat/completions", LargeChat);
        var exchange = new Exchange(template.Table, template.Head, harness.Services.GetRequiredService<ExchangeServices>(), abort.Token)
        {
            Api = template.Api,
            Body = template.Body,
        };
        await abort.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Pipeline.RunRequestAsync(exchange).AsTask());

        Assert.Null(exchange.PromptTokens);
        Assert.Null(exchange.Decision);
    }
}
