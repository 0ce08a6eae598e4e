using System.Text.Json;

namespace AiSidecar.ExtProc.Tests.Coalescing.Simulator;

/// <summary>Reads the parts of the simulator's answers the tests compare.</summary>
internal static class Answers
{
    public static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    public static float[] Vector(JsonElement data) => data.GetProperty("embedding").EnumerateArray().Select(c => c.GetSingle()).ToArray();

    public static float[][] Vectors(JsonElement answer) => answer.GetProperty("data").EnumerateArray().Select(Vector).ToArray();

    public static int Usage(JsonElement answer, string field) => answer.GetProperty("usage").GetProperty(field).GetInt32();

    public static double Norm(float[] vector) => Math.Sqrt(vector.Sum(c => (double)c * c));

    /// <summary>The results' original indices, in answer order.</summary>
    public static int[] ResultIndices(JsonElement answer) => answer.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()).ToArray();

    public static string[] Texts(JsonElement answer) => answer.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("text").GetString()!).ToArray();
}
