using System.Net;
using System.Text.Json;
using AiSidecar.ExtProc.Health;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using static AiSidecar.ExtProc.Tests.Infrastructure.RawExtProc;
using HealthClient = Grpc.Health.V1.Health.HealthClient;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>SIGTERM drains: not ready at once, listeners up while open streams finish, then closed.</summary>
public sealed class GracefulDrainTests
{
    [Fact]
    public async Task StopAsync_DuringOpenStream_LetsTheStreamComplete()
    {
        await using var server = await TestExtProcServer.StartAsync();
        Task? stopping = null;
        var drainingSeen = false;
        var exchange = HttpExchange.For(DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion("drain me"))) with
        {
            // Shutdown starts after the request direction finished and before the response direction runs.
            Upstream = _ =>
            {
                stopping = Task.Run(server.StopAsync);
                drainingSeen = SpinWait.SpinUntil(
                    () => server.App.Services.GetRequiredService<ReadinessState>().IsDraining, TimeSpan.FromSeconds(10));
                return UpstreamResponse.Json("{\"ok\":true}");
            },
        };

        var result = await server.Client().RunAsync(exchange);
        await stopping!;

        Assert.True(drainingSeen);
        Assert.Null(result.LocalReply);
        Assert.NotNull(Assert.Single(result.Received, r => r.ResponseHeaders is not null));
        Assert.Equal("llm-small", result.Forwarded!.Headers["x-ai-pool"]);
    }

    [Fact]
    public async Task StopAsync_WithAStreamOpen_AnswersNotReadyOnBothListenersUntilTheStreamEnds()
    {
        await using var server = await TestExtProcServer.StartAsync();
        using var call = new ExternalProcessor.ExternalProcessorClient(server.Channel).Process();
        await call.RequestStream.WriteAsync(Headers("POST", "/v1/completions", endOfStream: false));
        Assert.True(await call.ResponseStream.MoveNext());

        var stopping = server.StopAsync();
        await UntilAsync(async () => (await server.Http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.ServiceUnavailable);

        using (var liveness = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("/healthz", UriKind.Relative))))
        {
            Assert.Equal("ok", liveness.RootElement.GetProperty("status").GetString());
        }

        var ready = await server.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        using (var detail = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()))
        {
            Assert.True(detail.RootElement.GetProperty("draining").GetBoolean());
        }

        var health = await new HealthClient(server.Channel).CheckAsync(new HealthCheckRequest { Service = HealthServiceCollectionExtensions.ExtProcServiceName });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health.Status);
        Assert.False(stopping.IsCompleted);

        // The open exchange still gets its answers, then ends.
        await call.RequestStream.WriteAsync(new ProcessingRequest { RequestBody = new HttpBody { Body = ByteString.CopyFromUtf8(InferenceBodies.Completion("hi")), EndOfStream = true } });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestBody, call.ResponseStream.Current.ResponseCase);
        await call.RequestStream.CompleteAsync();
        Assert.Equal(StatusCode.OK, (await DrainAsync(call)).StatusCode);

        await stopping;
        await Assert.ThrowsAsync<HttpRequestException>(() => server.Http.GetAsync(new Uri("/readyz", UriKind.Relative)));
    }

    [Fact]
    public async Task StopAsync_WithADrainDelay_StaysUpNotReadyForTheDelay()
    {
        var time = new TimerSignallingTimeProvider(TimeSpan.FromSeconds(10));
        await using var server = await TestExtProcServer.StartAsync("", s => s.AddSingleton<TimeProvider>(time), "--server:drainDelaySeconds=10");

        var stopping = server.StopAsync();
        await time.WaitForTimerAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        Assert.False(stopping.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(10));
        await stopping;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600 && !await condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(await condition());
    }
}
