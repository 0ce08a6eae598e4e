using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using AiSidecar.ExtProc.Coalescing.Codecs;

namespace AiSidecar.ExtProc.Tests.Coalescing.Codecs;

/// <summary>Reads members, runs a batch through a fake engine and compares each member's answer with the engine's answer to it alone.</summary>
internal static class CodecAssert
{
    public static CoalesceMember Read(ICoalesceCodec codec, string body)
    {
        Assert.True(codec.TryRead(Encoding.UTF8.GetBytes(body), out var member, out var reason), $"not coalescible: {reason}");
        return member;
    }

    public static string Reason(ICoalesceCodec codec, string body)
    {
        Assert.False(codec.TryRead(Encoding.UTF8.GetBytes(body), out _, out var reason));
        return reason;
    }

    /// <summary>
    /// Merges the members, answers the merged body with <paramref name="engine"/>, splits, and asserts that each member's
    /// answer equals, field by field and byte for byte per value, the engine's answer to that member alone (ids and
    /// times aside). Each member's <c>Tokens</c> is the engine's own prompt count for it, as the stage's exact count is.
    /// </summary>
    public static void SplitEqualsAlone(ICoalesceCodec codec, Func<byte[], byte[]> engine, IReadOnlyList<string> bodies,
        Func<string, int>? completionTokens = null, Func<byte[], byte[]>? batchEngine = null)
    {
        var members = bodies.Select(body => Read(codec, body)).ToList();
        var alone = bodies.Select(body => engine(Encoding.UTF8.GetBytes(body))).ToList();
        for (var i = 0; i < members.Count; i++)
        {
            members[i].Tokens = PromptTokens(alone[i]);
        }

        var split = codec.Split((batchEngine ?? engine)(codec.Merge(members)), members, completionTokens);

        Assert.Null(split.Error);
        Assert.Equal(members.Count, split.Bodies!.Count);
        for (var i = 0; i < members.Count; i++)
        {
            SameAnswer(alone[i], split.Bodies[i], $"member {i}");
        }
    }

    /// <summary>Both JSON documents hold the same fields in the same order with the same raw values; top-level <c>id</c> and <c>created</c> aside.</summary>
    public static void SameAnswer(byte[] expected, byte[] actual, string what = "answer")
    {
        using var e = JsonDocument.Parse(expected);
        using var a = JsonDocument.Parse(actual);
        Same(e.RootElement, a.RootElement, what, topLevel: true);
    }

    public static long PromptTokens(byte[] answer)
    {
        using var document = JsonDocument.Parse(answer);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("usage", out var usage)
            ? usage.GetProperty("prompt_tokens").GetInt64()
            : 0;
    }

    public static JsonDocument Parse(byte[] body) => JsonDocument.Parse(body);

    private static void Same(JsonElement expected, JsonElement actual, string path, bool topLevel = false)
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{path}: {expected.ValueKind} expected, {actual.ValueKind} found");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var names = expected.EnumerateObject().Select(p => p.Name).ToList();
                Assert.Equal(names, actual.EnumerateObject().Select(p => p.Name).ToList());
                foreach (var name in names)
                {
                    if (!(topLevel && name is "id" or "created"))
                    {
                        Same(expected.GetProperty(name), actual.GetProperty(name), $"{path}.{name}");
                    }
                }

                break;
            case JsonValueKind.Array:
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{path}: {expected.GetArrayLength()} elements expected, {actual.GetArrayLength()} found");
                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    Same(expected[i], actual[i], $"{path}[{i}]");
                }

                break;
            default:
                Assert.True(JsonMarshal.GetRawUtf8Value(expected).SequenceEqual(JsonMarshal.GetRawUtf8Value(actual)),
                    $"{path}: {expected.GetRawText()} expected, {actual.GetRawText()} found");
                break;
        }
    }
}
