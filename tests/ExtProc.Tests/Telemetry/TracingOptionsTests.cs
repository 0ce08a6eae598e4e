using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Telemetry;

/// <summary>The <c>telemetry</c> section's tracing keys: bound strictly, with their bounds, and the HTTP signal paths.</summary>
public sealed class TracingOptionsTests
{
    [Fact]
    public void Load_TracingKeys_Bind()
    {
        var telemetry = TestConfigs.Load("telemetry: { otlpEndpoint: http://collector:4318, otlpProtocol: http/protobuf, samplingRatio: 0.25, recordContent: true }").Config.Telemetry;

        Assert.Equal(OtlpProtocol.HttpProtobuf, telemetry.OtlpProtocol);
        Assert.Equal(0.25, telemetry.SamplingRatio);
        Assert.True(telemetry.RecordContent);
    }

    [Fact]
    public void Load_Defaults_GrpcEverythingSampledNoContent()
    {
        var telemetry = TestConfigs.Load("").Config.Telemetry;

        Assert.Null(telemetry.OtlpEndpoint);
        Assert.Equal(OtlpProtocol.Grpc, telemetry.OtlpProtocol);
        Assert.Equal(1.0, telemetry.SamplingRatio);
        Assert.False(telemetry.RecordContent);
    }

    [Theory]
    [InlineData("telemetry: { samplingRatio: 1.5 }", "telemetry.samplingRatio")]
    [InlineData("telemetry: { samplingRatio: -0.1 }", "telemetry.samplingRatio")]
    [InlineData("telemetry: { otlpProtocol: http/json }", "telemetry.otlpProtocol")]
    public void Load_BadTracingValue_IsAnErrorAtThatKey(string yaml, string key) =>
        Assert.Contains(TestConfigs.Errors(yaml), e => e.Contains(key, StringComparison.Ordinal));

    [Theory]
    [InlineData("http://collector:4318", "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4318/", "http://collector:4318/v1/traces")]
    [InlineData("https://gw.example.com/otlp", "https://gw.example.com/otlp/v1/traces")]
    public void SignalEndpoint_Base_SignalPathAddedUnderIt(string endpoint, string expected) =>
        Assert.Equal(new Uri(expected), TelemetryServiceCollectionExtensions.SignalEndpoint(new Uri(endpoint), "v1/traces"));

    [Fact]
    public void AddExtProcTelemetry_RecordContentWithoutOtlp_AddsNoContentStage()
    {
        var services = new ServiceCollection().AddExtProcTelemetry(new TelemetryOptions { RecordContent = true });

        Assert.DoesNotContain(services, d => d.ImplementationType == typeof(ContentTraceStage));
    }
}
