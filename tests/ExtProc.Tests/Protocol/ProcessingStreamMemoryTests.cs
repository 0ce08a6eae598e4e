using System.Buffers;
using System.Globalization;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.ExtProc.Tests.Pipeline;
using Envoy.Service.ExtProc.V3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Protocol;

/// <summary>Body memory: chunks collected in one pooled array that goes back on every ending; the body dropped once decided.</summary>
public sealed class ProcessingStreamMemoryTests
{
    private static readonly string Chat = InferenceBodies.Chat(new string('x', 3000));

    private static (StreamHarness Harness, CountingArrayPool Pool) Start(string mode, Action<IServiceCollection>? configure = null, params string[] extra)
    {
        var pool = new CountingArrayPool();
        var overrides = StreamHarness.Mode(mode);
        foreach (var pair in extra.Select(e => e.Split('=', 2)))
        {
            overrides[pair[0]] = pair[1];
        }

        var harness = new StreamHarness(overrides, s =>
        {
            s.AddSingleton<ArrayPool<byte>>(pool);
            configure?.Invoke(s);
        });
        return (harness, pool);
    }

    private static ProcessingRequest Headers() =>
        StreamHarness.Headers("/v1/chat/completions", extra: ("content-length", Chat.Length.ToString(CultureInfo.InvariantCulture)));

    private static async Task SendInChunksAsync(StreamHarness harness, int chunks, bool endOfStream)
    {
        var size = Chat.Length / chunks + 1;
        for (var offset = 0; offset < Chat.Length; offset += size)
        {
            var last = offset + size >= Chat.Length;
            await harness.SendAsync(StreamHarness.Body(Chat[offset..Math.Min(Chat.Length, offset + size)], endOfStream && last));
        }
    }

    [Theory]
    [InlineData("STREAMED")]
    [InlineData("FULL_DUPLEX_STREAMED")]
    public async Task HandleAsync_ChunkedBodyDecided_ReturnsTheArrayAtTheDecision(string mode)
    {
        var (harness, pool) = Start(mode);
        using var _ = harness;
        await harness.SendAsync(Headers());

        await SendInChunksAsync(harness, chunks: 3, endOfStream: true);

        Assert.Equal(1, pool.Rented);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task EndAsync_ResetMidBody_ReturnsTheArray()
    {
        var (harness, pool) = Start("STREAMED");
        using var _ = harness;
        await harness.SendAsync(Headers());
        await harness.SendAsync(StreamHarness.Body(Chat[..1000], endOfStream: false));
        await harness.SendAsync(StreamHarness.Body(Chat[1000..2000], endOfStream: false));
        Assert.Equal(1, pool.Outstanding);

        await harness.Stream.EndAsync(ExchangeEnding.Reset);

        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task HandleAsync_ChunksOverTheLimit_ReturnsTheArrayWhenAnswered413()
    {
        var (harness, pool) = Start("STREAMED", null, "processing:maxBodyBytes=2500");
        using var _ = harness;
        await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions"));
        await harness.SendAsync(StreamHarness.Body(Chat[..1000], endOfStream: false));
        await harness.SendAsync(StreamHarness.Body(Chat[1000..2000], endOfStream: false));

        Assert.False(await harness.SendAsync(StreamHarness.Body(Chat[2000..], endOfStream: true)));
        await harness.Stream.EndAsync(ExchangeEnding.Completed);

        Assert.Equal(413, (int)harness.Replies[^1].ImmediateResponse.Status.Code);
        Assert.Equal(1, pool.Rented);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task EndAsync_StageAbandonedAtTheDeadline_DropsTheArrayInsteadOfReusingIt()
    {
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource();
        var stuck = new ScriptedStage(StageOrder.Count + 1, async exchange =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, CancellationToken.None);  // ignores its token: the pipeline abandons it
            return StageResult.Continue;
        });
        var (harness, pool) = Start("STREAMED", s => s.AddSingleton<TimeProvider>(time).AddSingleton<IRequestStage>(stuck));
        using var _ = harness;
        await harness.SendAsync(Headers());
        await harness.SendAsync(StreamHarness.Body(Chat[..1000], endOfStream: false));

        var last = harness.SendAsync(StreamHarness.Body(Chat[1000..], endOfStream: true));
        await started.Task;
        time.Advance(TimeSpan.FromMilliseconds(180));
        Assert.False(await last);
        await harness.Stream.EndAsync(ExchangeEnding.Completed);

        Assert.Equal(504, (int)harness.Replies[^1].ImmediateResponse.Status.Code);
        Assert.Equal(1, pool.Outstanding);
    }

    [Theory]
    [InlineData("BUFFERED", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"PROMPT\"}]}", "request_body")]
    [InlineData("STREAMED", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"PROMPT\"}]}", "request_body")]
    [InlineData("BUFFERED", "{\"model\":\"gpt-4o\",\"messages\":\"PROMPT\"}", "immediate_response")]
    public async Task HandleAsync_LargeBodyDecidedOrRefused_GivesItsBudgetBackBeforeTheReplyIsWritten(string mode, string template, string reply)
    {
        var body = template.Replace("PROMPT", new string('x', 4000), StringComparison.Ordinal);
        var (harness, _) = Start(mode, null, "memory:largeBodyBytes=1000");
        using var __ = harness;
        var budget = harness.Services.GetRequiredService<AiSidecar.ExtProc.Memory.BodyBudget>();
        await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions"));
        var inFlightAtWrite = new List<long>();
        harness.OnWrite = _ => inFlightAtWrite.Add(budget.InFlight);

        await harness.SendAsync(StreamHarness.Body(body));

        Assert.Equal(reply, harness.Replies[^1].ResponseCase switch
        {
            ProcessingResponse.ResponseOneofCase.RequestBody => "request_body",
            ProcessingResponse.ResponseOneofCase.ImmediateResponse => "immediate_response",
            var other => other.ToString(),
        });
        Assert.Equal(body.Length, budget.AdmittedTotal);
        Assert.Equal([0L], inFlightAtWrite);
    }

    [Fact]
    public async Task HandleAsync_BufferedBodyDecided_ClearsTheMessageBodyTheGrpcReaderKeeps()
    {
        var (harness, _) = Start("BUFFERED");
        using var __ = harness;
        await harness.SendAsync(Headers());
        var body = StreamHarness.Body(Chat);

        await harness.SendAsync(body);

        Assert.True(body.RequestBody.Body.IsEmpty);
        Assert.NotNull(harness.Replies[^1].RequestBody.Response.HeaderMutation);
    }
}
