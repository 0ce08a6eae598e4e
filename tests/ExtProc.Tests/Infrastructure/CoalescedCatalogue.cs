using AiSidecar.ExtProc.Tests.EnvoyFilter;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>
/// A catalogue whose one model, <c>bge</c> (embeddings, pool <c>embed</c>), is coalesced without waiting on a pool the
/// model server at <c>upstream</c> answers (the engine simulator): every request is answered by the server itself.
/// </summary>
internal static class CoalescedCatalogue
{
    /// <summary>The <c>catalogue</c> section, to put after any other sections.</summary>
    public static string For(Uri upstream) => $$"""
        catalogue:
          unknownModels: reject
          pools:
            - name: embed
              upstream: { url: "{{upstream}}" }
          models:
            - name: bge
              apis: [embeddings]
              versions: [{ name: v1, pool: embed }]
              coalesce: { maxWaitMs: 0 }
        """;

    /// <summary>The server answers the request itself: the upstream is never called.</summary>
    public static HttpExchange Embeddings(string input) => new()
    {
        Request = DownstreamRequest.Post("/v1/embeddings", $$"""{"model":"bge","input":"{{input}}"}"""),
        Upstream = _ => throw new InvalidOperationException("a coalesced request is answered by the server"),
    };
}
