using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Routing;

namespace AiSidecar.ExtProc.Pipeline;

/// <summary>
/// What the pipeline knows of a request besides its body: the API its path matched, the path, the few headers
/// decisions read, and the routing table in force when its headers arrived (kept to the end, across reloads).
/// </summary>
/// <param name="Kind">The API the path matched.</param>
/// <param name="Path">The request's <c>:path</c>, query included; null when Envoy did not send it.</param>
/// <param name="Headers">The headers named by the table's registry (experiment, model type, stickiness keys).</param>
/// <param name="Table">The routing table the request started with.</param>
public sealed record RequestContext(ApiKind Kind, string? Path, RequestHeaderValues Headers, RoutingTable Table);
