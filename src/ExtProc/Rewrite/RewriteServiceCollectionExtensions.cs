using AiSidecar.ExtProc.Rewrite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers body rewrites.</summary>
internal static class RewriteServiceCollectionExtensions
{
    /// <summary>Adds the served-name and completions → chat rewrites.</summary>
    public static IServiceCollection AddRequestRewrite(this IServiceCollection services) => services.AddRequestStage<RewriteStage>();
}
