namespace AiSidecar.ExtProc.Fuzz;

/// <summary>
/// One fuzz target: runs the code under test on an input and checks what it must guarantee. Any exception that
/// escapes <see cref="Run"/> is a crash to afl-fuzz: an undocumented exception from the code, or a
/// <see cref="FuzzFailure"/> for a broken guarantee.
/// </summary>
internal sealed record FuzzTarget(string Name, Action<byte[]> Run);

/// <summary>The targets <c>scripts/fuzz.sh</c> runs, and the namespaces each one instruments.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("inspector", InspectorTarget.Run),
        new("rewrite", RewriteTarget.Run),
        new("config", ConfigTarget.Run),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}

/// <summary>A guarantee the code under test broke on the current input.</summary>
internal sealed class FuzzFailure(string message) : Exception(message)
{
    public static void Require(bool condition, string guarantee)
    {
        if (!condition)
        {
            throw new FuzzFailure(guarantee);
        }
    }
}
