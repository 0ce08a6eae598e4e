using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiSidecar.EngineSimulator;
// The class shares its namespace's last name, which an AiSidecar.* namespace resolves first: an alias reaches it.
using SimulatedEngine = AiSidecar.EngineSimulator.EngineSimulator;

namespace AiSidecar.ExtProc.Tests.Coalescing.Simulator;

/// <summary>An engine simulator on a free loopback port (free cost model unless the test says otherwise) and a client.</summary>
internal sealed class SimulatorHost : IAsyncDisposable
{
    private SimulatorHost(SimulatedEngine simulator)
    {
        Simulator = simulator;
        Http = new HttpClient { BaseAddress = simulator.BaseAddress };
    }

    public SimulatedEngine Simulator { get; }

    public HttpClient Http { get; }

    public static async Task<SimulatorHost> StartAsync(SimulatorOptions? options = null) =>
        new(await SimulatedEngine.StartAsync(options ?? new SimulatorOptions { CostModel = CostModel.Free }));

    /// <summary>Posts <paramref name="body"/> as JSON; the status and the parsed answer.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>Posts <paramref name="body"/> and asserts a 200: the parsed answer.</summary>
    public async Task<JsonElement> PostOkAsync(string path, object body)
    {
        var (status, answer) = await PostAsync(path, body);
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {answer}");
        return answer;
    }

    /// <summary>Posts <paramref name="body"/> and asserts the OpenAI-style error with <paramref name="status"/>: its <c>error</c> object.</summary>
    public async Task<JsonElement> PostErrorAsync(string path, object body, HttpStatusCode status)
    {
        var (actual, answer) = await PostAsync(path, body);
        Assert.True(actual == status, $"expected {(int)status}, got {(int)actual}: {answer}");
        var error = answer.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal((int)status, error.GetProperty("code").GetInt32());
        return error;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
    }
}
