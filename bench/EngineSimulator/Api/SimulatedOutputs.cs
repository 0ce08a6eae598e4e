using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AiSidecar.EngineSimulator.Api;

/// <summary>
/// The model's outputs, each a pure function of what decides it (an input's digest, a query and document pair, a
/// prompt and its parameters), so an input gets the same output alone or in any batch.
/// </summary>
internal static class SimulatedOutputs
{
    /// <summary>
    /// Words that are one token each in o200k_base and cl100k_base (a leading space, common English) and one word in
    /// the default count: a completion of n words is n tokens whichever of them counts it.
    /// </summary>
    private static readonly string[] Words =
    [
        " the", " of", " and", " to", " in", " is", " that", " for", " it", " as", " was", " with", " be", " by", " on", " not",
        " he", " this", " are", " or", " his", " from", " at", " which", " but", " have", " an", " had", " they", " you", " were", " their",
        " one", " all", " we", " can", " her", " has", " there", " been", " if", " more", " when", " will", " would", " who", " so", " no",
        " time", " out", " up", " about", " into", " than", " them", " only", " other", " new", " some", " could", " these", " may", " first", " any",
    ];

    /// <summary>
    /// A unit vector of <paramref name="dimensions"/> components: the model's full vector seeded from the digest,
    /// truncated to the first <paramref name="dimensions"/> and normalized again (Matryoshka models).
    /// </summary>
    public static float[] Embedding(byte[] digest, int dimensions)
    {
        var random = new SplitMix64(BinaryPrimitives.ReadUInt64LittleEndian(digest));
        var raw = new double[dimensions];
        var norm = 0.0;
        for (var i = 0; i < dimensions; i++)
        {
            raw[i] = random.NextUnit() * 2 - 1;
            norm += raw[i] * raw[i];
        }

        norm = Math.Sqrt(norm);
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (float)(raw[i] / norm);
        }

        return vector;
    }

    /// <summary>The relevance of a document to a query in [0, 1), at float precision (what a GPU model reports).</summary>
    public static double RelevanceScore(string query, string document)
    {
        var q = Encoding.UTF8.GetBytes(query);
        var d = Encoding.UTF8.GetBytes(document);
        var bytes = new byte[4 + q.Length + d.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, q.Length);
        q.CopyTo(bytes, 4);
        d.CopyTo(bytes, 4 + q.Length);
        var seed = BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(bytes));
        return (float)new SplitMix64(seed).NextUnit();
    }

    /// <summary>
    /// The <paramref name="choice"/>-th generated text of a prompt: <paramref name="tokens"/> words chosen from the
    /// prompt's digest, the choice and the digest of the request's other parameters.
    /// </summary>
    public static string Completion(byte[] promptDigest, byte[] parametersDigest, int choice, int tokens)
    {
        var bytes = new byte[promptDigest.Length + parametersDigest.Length + 4];
        promptDigest.CopyTo(bytes, 0);
        parametersDigest.CopyTo(bytes, promptDigest.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(promptDigest.Length + parametersDigest.Length), choice);
        var random = new SplitMix64(BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(bytes)));
        var text = new StringBuilder(tokens * 5);
        for (var i = 0; i < tokens; i++)
        {
            text.Append(Words[(int)(random.Next() % (ulong)Words.Length)]);
        }

        return text.ToString();
    }

    /// <summary>SplitMix64: a small, fast, well-mixed generator; the same seed gives the same sequence everywhere.</summary>
    private struct SplitMix64(ulong state)
    {
        private ulong _state = state;

        public ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>A double in [0, 1) from the top 53 bits.</summary>
        public double NextUnit() => (Next() >> 11) * (1.0 / (1UL << 53));
    }
}
