using AiSidecar.ExtProc.Bench;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>A generated chat body; its name is what BenchmarkDotNet prints in the Body column.</summary>
public sealed class BodyCase
{
    private BodyCase(string name, byte[] bytes)
    {
        Name = name;
        Bytes = bytes;
    }

    /// <summary>The sizes the targets speak of, plus a multi-turn conversation.</summary>
    public static IEnumerable<BodyCase> All { get; } =
    [
        new("1KB", ChatBodies.Chat(1024)),
        new("16KB", ChatBodies.Chat(16 * 1024)),
        new("256KB", ChatBodies.Chat(256 * 1024)),
        new("20turns", ChatBodies.Chat(16 * 1024, turns: 20)),
    ];

    public string Name { get; }

    public byte[] Bytes { get; }

    public override string ToString() => $"{Name}/{Bytes.Length}B";
}
