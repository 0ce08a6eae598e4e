namespace AiSidecar.ExtProc.Coalescing.Codecs;

/// <summary>One top-level field of a request body: its (unescaped) name and its value's raw JSON as a byte range.</summary>
internal readonly record struct BodyField(string Name, Range Value);
