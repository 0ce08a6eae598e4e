namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>The server closed the stream with OK (or fail-open applied): the rest of the exchange passes unmodified.</summary>
internal sealed class ProcessingCompleteException() : Exception("ext_proc processing complete");
