using AiSidecar.Interop.Tests.Infrastructure;

namespace AiSidecar.Interop.Tests.ConfigValidation;

/// <summary>The validator rejects what Envoy (or istiod) would reject, and says where.</summary>
public sealed class InvalidConfigTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("envoy-config-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData("bootstrap")]
    [InlineData("envoyfilter")]
    public async Task Validate_UnalteredTemplate_Passes(string template)
    {
        var result = await ValidateAsync(Template(template), string.Empty, string.Empty);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [InlineData("bootstrap", "admin:", "bogus_field: 1\nadmin:", "key \"bogus_field\" is unknown")]
    [InlineData("bootstrap", "type: STRICT_DNS", "type: STRICT_DNZ", "\"STRICT_DNZ\"")]
    [InlineData("bootstrap", "request_body_mode: BUFFERED", "request_body_mode: BUFFERD", "\"BUFFERD\"")]
    [InlineData("bootstrap", "message_timeout: 1s", "message_timeuot: 1s", "key \"message_timeuot\" is unknown")]
    [InlineData("bootstrap", "stat_prefix: ingress", "stat_prefix: ingress\n                foo: 1", "key \"foo\" is unknown")]
    [InlineData("bootstrap", "router.v3.Router", "router.v3.Ruoter", "router.v3.Ruoter is not in the type registry")]
    [InlineData("bootstrap", "port_value: 9901", "port_value: nine", "port_value")]
    [InlineData("envoyfilter", "request_body_mode: BUFFERED", "request_body_mode: FULL_BUFFER", "\"FULL_BUFFER\"")]
    [InlineData("envoyfilter", "grpc_service:", "grpc_servce:", "key \"grpc_servce\" is unknown")]
    [InlineData("envoyfilter", "per_connection_buffer_limit_bytes", "per_connection_buffer_limit", "configPatches[1]")]
    [InlineData("envoyfilter", "applyTo: LISTENER", "applyTo: LISTENERS", "unknown applyTo")]
    public async Task Validate_AlteredTemplate_FailsNamingTheProblem(string template, string from, string to, string expected)
    {
        var result = await ValidateAsync(Template(template), from, to);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error ", result.StdOut, StringComparison.Ordinal);
        Assert.Contains(expected, result.StdOut, StringComparison.Ordinal);
    }

    private static string Template(string name) =>
        name == "bootstrap" ? ConfigTemplates.Bootstrap : ConfigTemplates.EnvoyFilter;

    private async Task<NodeResult> ValidateAsync(string template, string from, string to)
    {
        var yaml = from.Length == 0 ? template : template.Replace(from, to, StringComparison.Ordinal);
        Assert.True(from.Length == 0 || yaml != template, $"template lacks '{from}'");
        var file = Path.Combine(_dir.FullName, "config.yaml");
        await File.WriteAllTextAsync(file, yaml);
        return await EnvoyApiTool.ValidateAsync(file);
    }
}
