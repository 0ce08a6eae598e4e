namespace AiSidecar.ExtProc.Telemetry;

/// <summary>The OpenTelemetry GenAI attributes of one operation (<c>gen_ai.operation.name</c>, <c>gen_ai.provider.name</c>, <c>gen_ai.request.model</c>, <c>gen_ai.response.model</c>).</summary>
internal readonly record struct GenAiLabels(string Operation, string Provider, string RequestModel, string ResponseModel);
