using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Tokenization;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Fuzz;

/// <summary>
/// The config loader on a config file's content, as a start or a reload reads it. Guarantees: it returns issues and
/// never throws; it fails exactly when it reports an issue, each issue a line; a config it accepts compiles into a
/// routing table, as a reload then does.
/// </summary>
internal static class ConfigTarget
{
    private static readonly ConfigSources Sources = new("/fuzz/config.yaml", []);

    /// <summary>The server's tokenizer cache on the embedded defaults, which a reload compiles new tables against.</summary>
    private static readonly TokenizerCache Tokenizers = Services().GetRequiredService<TokenizerCache>();

    public static void Run(byte[] input)
    {
        var accepted = ConfigLoader.TryLoad(Sources, input, null, out var loaded, out var errors);

        FuzzFailure.Require(accepted == (errors.Count == 0) && accepted == loaded is not null, "the loader fails exactly when it reports an issue");
        FuzzFailure.Require(errors.All(e => e.Length > 0 && !e.Contains('\n', StringComparison.Ordinal)), "each issue is one line");
        if (loaded is not null)
        {
            RoutingTableSource.Compile(loaded.Config, Tokenizers, 2);
        }
    }

    private static ServiceProvider Services()
    {
        if (!ConfigLoader.TryLoad(new ConfigSources(null, []), out var defaults, out var errors))
        {
            throw new InvalidOperationException(string.Join("\n", errors));
        }

        return new ServiceCollection().AddLogging().AddExtProcCore(defaults!).BuildServiceProvider();
    }
}
