using System.Globalization;

namespace AiSidecar.ExtProc.LoadGen.Soak;

/// <summary>
/// The config file the soaked server runs on, in two variants that differ in real values the server acts on: the
/// canary's weight (10 % or 50 %) and the small range's edge (1,000 or 1,200 tokens). The soak alternates them, so
/// every rewrite is a change the server must load, compile and swap in under load.
/// </summary>
internal static class SoakConfig
{
    /// <summary>The pool the server must route each model to (the <c>x-ai-pool</c> header).</summary>
    public const string ChatPool = "soak-chat";

    public const string EmbedPool = "soak-embed";

    public const string ChatModel = "soak-chat";

    public const string EmbedModel = "soak-embed";

    /// <summary>The config text of variant 0 or 1.</summary>
    public static string Yaml(int variant, int streams)
    {
        var canary = variant == 0 ? 10 : 50;
        var smallEdge = variant == 0 ? 1000 : 1200;
        return string.Create(CultureInfo.InvariantCulture, $$"""
            # Written by ExtProc.LoadGen soak (variant {{variant}}); rewritten with the other variant every --reload-every.
            server:
              reloadCheckSeconds: 1
              maxConcurrentStreams: {{Math.Max(1000, streams * 2)}}
            tokenization:
              encoding: o200k_base
            catalogue:
              unknownModels: reject
              ranges:
                - { name: small, maxTokens: {{smallEdge}}, pool: llm-small }
                - { name: medium, maxTokens: 8000, pool: llm-medium }
                - { name: large, pool: llm-large }
              pools:
                - { name: {{ChatPool}}, apis: [chat, completions] }
                - { name: {{EmbedPool}}, apis: [embeddings] }
              models:
                - name: {{ChatModel}}
                  apis: [chat, completions]
                  versions:
                    - { name: v1, pool: {{ChatPool}}, servedModel: soak/chat-v1, weight: {{100 - canary}} }
                    - { name: v2, pool: {{ChatPool}}, servedModel: soak/chat-v2, weight: {{canary}}, canary: true }
                - name: {{EmbedModel}}
                  apis: [embeddings]
                  versions:
                    - { name: v1, pool: {{EmbedPool}}, servedModel: soak/embed }
            """);
    }

    /// <summary>Replaces the file as a ConfigMap update does: the new content appears at once (write, then rename).</summary>
    public static void Write(string path, string yaml)
    {
        var next = path + ".next";
        File.WriteAllText(next, yaml);
        File.Move(next, path, overwrite: true);
    }
}
