using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Tests.Fakes;
using Grpc.Core;
using GpuAgentApi = AiSidecar.GpuAgent.Api.V1.GpuAgent;

namespace AiSidecar.GpuAgent.Tests.Api;

public sealed class WatchTests
{
    [Fact]
    public async Task Watch_HundredSubscribers_OneSampleServesAllWithoutExtraNvmlCalls()
    {
        FakeNvml.ResetWithGpus(2);
        await using var host = await AgentHost.StartAsync(FakeNvml.LibraryPath);
        var client = new GpuAgentApi.GpuAgentClient(host.Channel);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var before = FakeNvml.CallCount();
        await host.SampleAsync();
        var callsPerSample = FakeNvml.CallCount() - before;

        var streams = Enumerable.Range(0, 100).Select(_ => client.Watch(new WatchRequest(), cancellationToken: cts.Token)).ToList();
        var initial = await Task.WhenAll(streams.Select(s => NextAsync(s, cts.Token)));
        before = FakeNvml.CallCount();
        await host.SampleAsync();
        var next = await Task.WhenAll(streams.Select(s => NextAsync(s, cts.Token)));
        var callsWithSubscribers = FakeNvml.CallCount() - before;
        streams.ForEach(s => s.Dispose());

        var sequence = initial[0].Sequence;
        Assert.All(initial, s => Assert.Equal(sequence, s.Sequence));
        Assert.All(next, s => Assert.Equal(sequence + 1, s.Sequence));
        Assert.All(next, s => Assert.Equal(2, s.Devices.Count));
        Assert.True(callsPerSample > 0);
        Assert.Equal(callsPerSample, callsWithSubscribers);
    }

    [Fact]
    public async Task Watch_AgentStopping_EndsTheStreamWithOk()
    {
        FakeNvml.ResetWithGpus(1);
        await using var host = await AgentHost.StartAsync(FakeNvml.LibraryPath);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stream = new GpuAgentApi.GpuAgentClient(host.Channel).Watch(new WatchRequest(), cancellationToken: cts.Token);
        await NextAsync(stream, cts.Token);

        var stopping = host.StopAsync();

        // The stream ends cleanly (no abort at the end of the shutdown timeout), and the stop does not wait for it.
        Assert.False(await stream.ResponseStream.MoveNext(cts.Token));
        Assert.Equal(StatusCode.OK, stream.GetStatus().StatusCode);
        await stopping;
    }

    [Fact]
    public async Task Watch_OnlyOnChange_SkipsUnchangedSnapshots()
    {
        FakeNvml.ResetWithGpus(1);
        await using var host = await AgentHost.StartAsync(FakeNvml.LibraryPath);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = new GpuAgentApi.GpuAgentClient(host.Channel).Watch(new WatchRequest { OnlyOnChange = true }, cancellationToken: cts.Token);

        var first = await NextAsync(stream, cts.Token);
        await host.SampleAsync();
        FakeNvml.SetMemoryUsed(0, 7 * FakeNvml.GiB);
        await host.SampleAsync();
        var second = await NextAsync(stream, cts.Token);

        Assert.Equal(first.Sequence + 2, second.Sequence);
        Assert.Equal(first.ContentVersion + 1, second.ContentVersion);
        Assert.Equal((7 * FakeNvml.GiB) + FakeNvml.Reserved80, second.Devices[0].MemoryUsedBytes);
    }

    [Fact]
    public async Task Watch_SubscriberNeverReads_OthersStillGetLatestSnapshot()
    {
        FakeNvml.ResetWithGpus(8);
        await using var host = await AgentHost.StartAsync(FakeNvml.LibraryPath);
        var client = new GpuAgentApi.GpuAgentClient(host.Channel);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stalled = client.Watch(new WatchRequest(), cancellationToken: cts.Token);
        using var reader = client.Watch(new WatchRequest(), cancellationToken: cts.Token);
        var first = await NextAsync(reader, cts.Token);

        // Far more data than one HTTP/2 stream window: the stalled stream's writes block, publishing must not.
        for (var i = 0; i < 150; i++)
        {
            await host.SampleAsync();
        }

        var last = first;
        while (last.Sequence < first.Sequence + 150)
        {
            last = await NextAsync(reader, cts.Token);
        }

        Assert.Equal(first.Sequence + 150, last.Sequence);
        Assert.Equal(8, last.Devices.Count);
    }

    private static async Task<NodeSnapshot> NextAsync(AsyncServerStreamingCall<NodeSnapshot> call, CancellationToken cancellationToken)
    {
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken));
        return call.ResponseStream.Current;
    }
}
