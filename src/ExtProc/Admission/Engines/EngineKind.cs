namespace AiSidecar.ExtProc.Admission.Engines;

/// <summary>The model server behind a pool: which metric names give its queue, batch and KV-cache use.</summary>
internal enum EngineKind
{
    Vllm,
    Sglang,
    Tgi,
    Trtllm,
}
