using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>Either a message from the server or the end of the stream with its status.</summary>
internal sealed record StreamEvent(ProcessingResponse? Message, Status? Closed);
