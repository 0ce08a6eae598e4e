using AiSidecar.EngineSimulator.Gpu;

namespace AiSidecar.EngineSimulator.Api;

/// <summary>A valid request: the GPU work it costs and the answer sent once that work is done.</summary>
internal sealed record PreparedRequest(GpuWork Work, byte[] Body);
