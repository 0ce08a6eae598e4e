namespace AiSidecar.Interop.Tests.Infrastructure;

/// <summary>Exit code and output of one run of the Node tool.</summary>
internal sealed record NodeResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n{StdOut}\n{StdErr}";
}
