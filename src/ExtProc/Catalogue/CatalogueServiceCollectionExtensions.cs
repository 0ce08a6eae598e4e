using AiSidecar.ExtProc.Catalogue;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the model catalogue's stages.</summary>
internal static class CatalogueServiceCollectionExtensions
{
    /// <summary>Adds model resolution and version selection.</summary>
    public static IServiceCollection AddModelCatalogue(this IServiceCollection services) =>
        services.AddRequestStage<ResolveModelStage>().AddRequestStage<SelectVersionStage>();
}
