namespace AiSidecar.EngineSimulator.Api;

/// <summary>A request the simulated engine refuses, answered as an OpenAI-style error with <see cref="Status"/>.</summary>
internal sealed class SimulatorException(int status, string message, string? param = null) : Exception(message)
{
    public int Status { get; } = status;

    public string? Param { get; } = param;

    public static SimulatorException Invalid(string message, string? param = null) => new(400, message, param);
}
