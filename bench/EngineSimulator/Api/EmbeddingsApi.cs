using System.Buffers.Binary;
using System.Text.Json;
using AiSidecar.EngineSimulator.Gpu;

namespace AiSidecar.EngineSimulator.Api;

/// <summary>
/// <c>POST /v1/embeddings</c> as vLLM answers it: <c>input</c> in any of its four shapes, <c>encoding_format</c>
/// float or base64 (little-endian float32), <c>dimensions</c> (truncate and renormalize, never above the model's).
/// </summary>
internal static class EmbeddingsApi
{
    public static PreparedRequest Prepare(JsonElement root, RequestContext context)
    {
        var options = context.Options;
        var inputs = RequestJson.Inputs(root, "input");
        var format = RequestJson.String(root, "encoding_format") ?? "float";
        if (format is not ("float" or "base64"))
        {
            throw SimulatorException.Invalid("'encoding_format' must be float or base64.", "encoding_format");
        }

        var dimensions = RequestJson.Int(root, "dimensions", 1) ?? options.Dimensions;
        if (dimensions > options.Dimensions)
        {
            throw SimulatorException.Invalid($"'dimensions' is larger than the model's {options.Dimensions} dimensions.", "dimensions");
        }

        var tokens = inputs.Select(input => input.Tokens(options)).ToArray();
        context.CheckLimits(tokens);
        var body = RequestJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", context.Id("embd"));
            w.WriteString("object", "list");
            w.WriteNumber("created", context.Created);
            w.WriteString("model", RequestJson.Model(root, options));
            w.WriteStartArray("data");
            for (var i = 0; i < inputs.Count; i++)
            {
                var vector = SimulatedOutputs.Embedding(inputs[i].Digest(), dimensions);
                w.WriteStartObject();
                w.WriteNumber("index", i);
                w.WriteString("object", "embedding");
                if (format == "base64")
                {
                    w.WriteBase64String("embedding", LittleEndianBytes(vector));
                }
                else
                {
                    w.WriteStartArray("embedding");
                    foreach (var component in vector)
                    {
                        w.WriteNumberValue(component);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            Usage.Write(w, tokens.Sum(), 0);
            w.WriteEndObject();
        });
        return new PreparedRequest(GpuWork.Pooling(tokens), body);
    }

    private static byte[] LittleEndianBytes(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return bytes;
    }
}
