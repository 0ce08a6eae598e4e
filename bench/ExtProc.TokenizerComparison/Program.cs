// Usage: ExtProc.TokenizerComparison WORKLOAD.json — prints one JSON object of timings (compare.mjs writes the workload).
using System.Diagnostics;
using System.Text.Json;
using AiSidecar.Configuration;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tokenization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

var workload = JsonDocument.Parse(await File.ReadAllBytesAsync(args[0])).RootElement;
var texts = workload.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToArray();
var conversation = workload.GetProperty("conversation").EnumerateArray()
    .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, null, [m.GetProperty("content").GetString()!], 0) { Content = m.GetProperty("content").GetString() })
    .ToArray();
var rounds = workload.GetProperty("rounds").GetInt32();
var results = new Dictionary<string, object>();

// Memory first: four tokenizers (the default o200k_base and the three Hugging Face files) loaded in one cache.
using (var provider = Tokenizers(new TokenizationOptions { Loading = TokenizerLoading.Eager }))
{
    var cache = provider.GetRequiredService<TokenizerCache>();
    foreach (var model in workload.GetProperty("models").EnumerateArray().Where(m => m.GetProperty("name").GetString() != "cl100k_base"))
    {
        cache.For(Spec(model));
    }

    cache.WarmUp();
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    results["memory"] = new
    {
        tokenizers = cache.Describe().Count(s => s.State == "loaded"),
        rss_mb = Environment.WorkingSet / (1024.0 * 1024.0),
        managed_mb = GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0),
    };
}

foreach (var model in workload.GetProperty("models").EnumerateArray())
{
    var name = model.GetProperty("name").GetString()!;
    var cold = Counter(model, cacheEntries: 0);
    var cached = Counter(model, cacheEntries: 65536);

    var single = Time(rounds, () => texts.Sum(t => cold.Count(new InferenceRequest { Kind = ApiKind.Completions, Model = name, Texts = [t] }).Tokens));
    var turns = Enumerable.Range(1, conversation.Length).Where(n => conversation[n - 1].Role == "user")
        .Select(n => new InferenceRequest { Kind = ApiKind.ChatCompletions, Model = name, Messages = conversation[..n] }).ToArray();
    var multiCold = Time(rounds, () => turns.Sum(t => cold.Count(t).Tokens));
    var lastCold = Time(rounds * 4, () => cold.Count(turns[^1]).Tokens);

    // Cached: each round replays the chat as live traffic, with its own text (a round tag) so the first sight of a
    // message is a miss and every resend a hit.
    var round = 0;
    var multiCached = Time(rounds, () => Tagged(turns, ++round).Sum(t => cached.Count(t).Tokens));
    var lastCached = Time(rounds * 4, () => cached.Count(turns[^1]).Tokens);
    results[name] = new
    {
        single_ms = single,
        multi_turn_cold_ms = multiCold,
        multi_turn_cached_ms = multiCached,
        last_turn_cold_ms = lastCold,
        last_turn_cached_ms = lastCached,
        counts = new { single = texts.Sum(t => cold.Count(new InferenceRequest { Kind = ApiKind.Completions, Model = name, Texts = [t] }).Tokens), last_turn = cold.Count(turns[^1]).Tokens },
    };
}

Console.WriteLine(JsonSerializer.Serialize(results));

// The server's own tokenizer cache (as the catalogue uses it) on these tokenization settings.
static ServiceProvider Tokenizers(TokenizationOptions options) =>
    new ServiceCollection().AddLogging().AddExtProcTelemetry(new TelemetryOptions()).AddSingleton(Options.Create(options)).AddTokenization().BuildServiceProvider();

// A model of the workload as a catalogue tokenizer: its file or encoding, with its chat template.
static TokenizerOptions Spec(JsonElement model) => new()
{
    File = model.TryGetProperty("file", out var file) ? file.GetString() : null,
    Encoding = model.TryGetProperty("encoding", out var encoding) && ConfigEnumNames.TryParse<TiktokenEncoding>(encoding.GetString(), out var parsed) ? parsed : null,
    Template = ConfigEnumNames.TryParse<ChatTemplate>(model.GetProperty("template").GetString(), out var template) ? template : ChatTemplate.OpenAi,
};

static PromptCounter Counter(JsonElement model, int cacheEntries)
{
    var counter = Tokenizers(new TokenizationOptions { CacheEntries = cacheEntries }).GetRequiredService<TokenizerCache>().For(Spec(model)).Resolve();
    counter.Count(new InferenceRequest { Kind = ApiKind.Completions, Model = model.GetProperty("name").GetString(), Texts = ["warm"] });
    return counter;
}

// Best (minimum) milliseconds of one run of the action over the rounds, which the shared machine's load disturbs
// least, after two seconds of warm-up (so tiered JIT has optimized the code,
// as in a server that has been running).
static double Time(int rounds, Func<int> action)
{
    var warm = Stopwatch.StartNew();
    while (warm.ElapsedMilliseconds < 2000)
    {
        action();
    }

    var samples = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        samples.Add(watch.Elapsed.TotalMilliseconds);
    }

    return samples.Min();
}

static InferenceRequest[] Tagged(InferenceRequest[] turns, int round)
{
    var messages = turns[^1].Messages.Select(m => m with { TextParts = [$"[{round}] {m.Content}"], Content = $"[{round}] {m.Content}" }).ToArray();
    return [.. turns.Select(t => new InferenceRequest { Kind = t.Kind, Model = t.Model, Messages = messages[..t.Messages.Count] })];
}
