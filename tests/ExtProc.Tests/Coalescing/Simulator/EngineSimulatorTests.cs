using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AiSidecar.EngineSimulator;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Coalescing.Simulator;

/// <summary>The simulator's hosting, TEI's limits, the fault controls and the counters.</summary>
public sealed class EngineSimulatorTests
{
    [Fact]
    public async Task StartAsync_PortZero_ListensOnAFreeLoopbackPort()
    {
        await using var first = await SimulatorHost.StartAsync();
        await using var second = await SimulatorHost.StartAsync();

        Assert.Equal("127.0.0.1", first.Simulator.BaseAddress.Host);
        Assert.NotEqual(first.Simulator.BaseAddress.Port, second.Simulator.BaseAddress.Port);
        Assert.Equal(HttpStatusCode.OK, (await first.Http.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
    }

    public static TheoryData<SimulatorOptions, string> InvalidOptions => new()
    {
        { new SimulatorOptions { Port = -1 }, "Port" },
        { new SimulatorOptions { Dimensions = 0 }, "Dimensions" },
        { new SimulatorOptions { MaxClientBatch = 0 }, "MaxClientBatch" },
        { new SimulatorOptions { CostModel = CostModel.Free with { ItemCost = TimeSpan.FromMilliseconds(-1) } }, "CostModel" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task StartAsync_InvalidOptions_ThrowsNamingTheOption(SimulatorOptions options, string name)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => AiSidecar.EngineSimulator.EngineSimulator.StartAsync(options));

        Assert.Equal(name, error.ParamName);
    }

    [Theory]
    [InlineData("/v1/embeddings", "input")]
    [InlineData("/rerank", "documents")]
    [InlineData("/v1/completions", "prompt")]
    public async Task Request_MoreInputsThanMaxClientBatch_413AndNoGpuWork(string path, string field)
    {
        await using var host = await SimulatorHost.StartAsync();
        var inputs = Enumerable.Range(0, 33).Select(i => $"text {i}").ToArray();

        var error = await host.PostErrorAsync(path, Body(field, inputs), HttpStatusCode.RequestEntityTooLarge);
        var afterRefusal = host.Simulator.Counters;
        await host.PostOkAsync(path, Body(field, inputs[..32]));

        Assert.Equal("batch size 33 > maximum allowed batch size 32", error.GetProperty("message").GetString());
        Assert.Equal((1L, 0L, 0L), (afterRefusal.Errors, afterRefusal.GpuBatches, afterRefusal.Items));
        Assert.Equal(32, host.Simulator.Counters.Items);
    }

    [Fact]
    public async Task Request_InputAboveTheBatchTokenLimit_413()
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { CostModel = CostModel.Free, MaxBatchTokens = 4 });

        await host.PostOkAsync("/v1/embeddings", new { input = new[] { "one two three four", "one" } });
        var error = await host.PostErrorAsync("/v1/embeddings", new { input = new[] { "one", "one two three four five" } }, HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("5 tokens", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_NotJsonOrNotAnObject_400()
    {
        await using var host = await SimulatorHost.StartAsync();

        using var notJson = await host.Http.PostAsync(new Uri("/v1/embeddings", UriKind.Relative), new StringContent("{not json"));
        var notObject = await host.PostErrorAsync("/v1/embeddings", new[] { 1 }, HttpStatusCode.BadRequest);

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Contains("JSON object", notObject.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, host.Simulator.Counters.Errors);
    }

    [Fact]
    public async Task FailNext_TwoRequests_TheyAnswerTheStatusThenRequestsSucceed()
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.FailNext(2, 503);

        var first = await host.PostErrorAsync("/v1/embeddings", new { input = "x" }, HttpStatusCode.ServiceUnavailable);
        await host.PostErrorAsync("/rerank", new { query = "q", documents = new[] { "d" } }, HttpStatusCode.ServiceUnavailable);
        await host.PostOkAsync("/v1/embeddings", new { input = "x" });

        Assert.Equal("InternalServerError", first.GetProperty("type").GetString());
        var counters = host.Simulator.Counters;
        Assert.Equal((3, 2, 1), (counters.Requests, counters.Errors, counters.GpuBatches));
    }

    [Fact]
    public async Task FailNext_StatusOutsideTheErrors_Throws()
    {
        await using var host = await SimulatorHost.StartAsync();

        Assert.Throws<ArgumentOutOfRangeException>(() => host.Simulator.FailNext(1, 200));
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Simulator.FailNext(1, 0));
    }

    [Fact]
    public async Task ResetNext_OneRequest_ItsConnectionResetThenRequestsSucceed()
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.ResetNext(1);

        await Assert.ThrowsAsync<HttpRequestException>(() => host.Http.PostAsJsonAsync(new Uri("/v1/embeddings", UriKind.Relative), new { input = "x" }));
        await host.PostOkAsync("/v1/embeddings", new { input = "x" });

        Assert.Equal(1, host.Simulator.Counters.Errors);
    }

    [Fact]
    public async Task Stall_TwoRequests_HeldBeforeAnyWorkUntilRelease()
    {
        await using var host = await SimulatorHost.StartAsync();
        host.Simulator.Stall();

        var first = host.PostOkAsync("/v1/embeddings", new { input = "x" });
        var second = host.PostOkAsync("/v1/completions", new { prompt = "p" });
        await host.Simulator.WaitForHeldAsync(2);

        Assert.False(first.IsCompleted || second.IsCompleted);
        Assert.Equal(2, host.Simulator.HeldRequests);
        Assert.Equal(0, host.Simulator.Counters.GpuBatches);
        host.Simulator.Release();
        await first;
        await second;
        Assert.Equal(0, host.Simulator.HeldRequests);
    }

    [Fact]
    public async Task ApiKey_MissingOrWrong_401AndRightKey_200()
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { CostModel = CostModel.Free, ApiKey = "secret" });

        var missing = await host.PostErrorAsync("/v1/embeddings", new { input = "x" }, HttpStatusCode.Unauthorized);
        host.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        await host.PostErrorAsync("/v1/embeddings", new { input = "x" }, HttpStatusCode.Unauthorized);
        host.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "secret");
        await host.PostOkAsync("/v1/embeddings", new { input = "x" });

        Assert.Equal("AuthenticationError", missing.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(SimulatorMode.Serial)]
    [InlineData(SimulatorMode.Batching)]
    public async Task Counters_PoolingAndGeneration_CountRequestsPassesItemsAndTokens(SimulatorMode mode)
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { CostModel = CostModel.Free, Mode = mode });

        await host.PostOkAsync("/v1/embeddings", new { input = new[] { "a b", "c", "d e f" } });
        var afterEmbeddings = host.Simulator.Counters;
        await host.PostOkAsync("/v1/completions", new { prompt = new[] { "a", "b c" }, n = 2, max_tokens = 5 });
        var afterCompletions = host.Simulator.Counters;

        Assert.Equal(new SimulatorCounters(1, 0, 1, 3, 6, TimeSpan.Zero, 3), afterEmbeddings);
        Assert.Equal(new SimulatorCounters(2, 0, 1 + 5, 3 + 4, 6 + (1 + 1 + 2 + 2), TimeSpan.Zero, 4), afterCompletions);
    }

    [Fact]
    public void EngineSimulator_ShippedFiles_NeverReferToIt()
    {
        var root = RepoFiles.Root;
        var shipped = Directory.EnumerateFiles(root, "Dockerfile*", SearchOption.AllDirectories)
            .Concat(new[] { "deploy", "istio", "envoy", "src" }.SelectMany(dir => Directory.EnumerateFiles(Path.Combine(root, dir), "*", SearchOption.AllDirectories)))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "tests"))
            .ToArray();

        Assert.Contains(shipped, path => path.EndsWith("Dockerfile", StringComparison.Ordinal));
        Assert.Empty(shipped.Where(path => File.ReadAllText(path).Contains("EngineSimulator", StringComparison.Ordinal)).Select(path => Path.GetRelativePath(root, path)));
    }

    private static Dictionary<string, object> Body(string field, string[] inputs) =>
        field == "documents" ? new() { ["query"] = "q", ["documents"] = inputs } : new() { [field] = inputs };
}
