using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AiSidecar.Testing;

namespace AiSidecar.ExtProc.Tests.Observability;

/// <summary>
/// A real Prometheus on a loopback port, with its data in a temporary folder, started from a config the test writes
/// (JSON, which Prometheus reads as YAML), and its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log = new();

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Http = new HttpClient { BaseAddress = address };
    }

    public HttpClient Http { get; }

    /// <summary>What Prometheus logged so far (warnings and errors), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts Prometheus on <paramref name="config"/> and waits until it is ready.</summary>
    internal static async Task<PrometheusServer> StartAsync(JsonObject config)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"prometheus-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configPath, config.ToJsonString());
        var port = LoopbackPorts.Pick().Http;
        var start = new ProcessStartInfo(PrometheusTools.Prometheus)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            $"--config.file={configPath}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Until.TrueAsync(server.ReadyAsync, "Prometheus to be ready");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>An instant query at <paramref name="at"/> (default: now): the samples' labels and values, or the query's error.</summary>
    public async Task<QueryResult> QueryAsync(string query, DateTimeOffset? at = null)
    {
        var time = (at ?? TimeProvider.System.GetUtcNow()).ToUnixTimeMilliseconds() / 1000.0;
        using var content = new FormUrlEncodedContent([new("query", query), new("time", time.ToString("F3", CultureInfo.InvariantCulture))]);
        using var response = await Http.PostAsync(new Uri("api/v1/query", UriKind.Relative), content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (body["status"]!.GetValue<string>() != "success")
        {
            return new QueryResult([], $"{body["errorType"]}: {body["error"]}");
        }

        var data = body["data"]!;
        if (data["resultType"]!.GetValue<string>() == "scalar")
        {
            return new QueryResult([new Sample("", Value(data["result"]!))], null);
        }

        return new QueryResult(
            [.. data["result"]!.AsArray().Select(s => new Sample(s!["metric"]!.ToJsonString(), Value(s["value"]!)))],
            null);
    }

    /// <summary>The values of a label among the series <paramref name="match"/> selects (Grafana's <c>label_values</c>).</summary>
    public async Task<string[]> LabelValuesAsync(string label, string? match)
    {
        var query = match is null ? "" : "?match[]=" + Uri.EscapeDataString(match);
        var body = JsonNode.Parse(await Http.GetStringAsync(new Uri($"api/v1/label/{label}/values{query}", UriKind.Relative)))!;
        return [.. body["data"]!.AsArray().Select(v => v!.GetValue<string>())];
    }

    /// <summary>The rule groups' state: every rule's health and last error, and each group's last evaluation.</summary>
    internal async Task<JsonArray> RuleGroupsAsync()
    {
        var body = JsonNode.Parse(await Http.GetStringAsync(new Uri("api/v1/rules", UriKind.Relative)))!;
        return body["data"]!["groups"]!.AsArray();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static double Value(JsonNode pair) => double.Parse(pair[1]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private async Task<bool> ReadyAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"Prometheus exited with {_process.ExitCode}:\n{Log}");
        }

        try
        {
            using var response = await Http.GetAsync(new Uri("-/ready", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}

/// <summary>One sample of an instant query: its labels (as JSON) and value.</summary>
public sealed record Sample(string Labels, double Value);

/// <summary>An instant query's samples, or its error.</summary>
public sealed record QueryResult(IReadOnlyList<Sample> Samples, string? Error)
{
    public override string ToString() => Error ?? "[" + string.Join(", ", Samples.Select(s => $"{s.Labels} {s.Value.ToString(CultureInfo.InvariantCulture)}")) + "]";
}
