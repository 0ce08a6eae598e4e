namespace AiSidecar.ExtProc.Errors;

/// <summary>The errors the server answers with, in one place so their status codes stay consistent.</summary>
internal static class ApiErrors
{
    private const string InvalidRequest = "invalid_request_error";

    /// <summary>The body is not valid JSON (or not UTF-8).</summary>
    public static ApiError InvalidJson(string reason) =>
        new(400, "invalid_json", InvalidRequest, $"The request body is not valid JSON: {reason}", Code: "invalid_json");

    /// <summary>A field has the wrong JSON type or an impossible value.</summary>
    public static ApiError InvalidField(string param, string expected) =>
        new(400, "invalid_field", InvalidRequest, $"Invalid type or value for '{param}': expected {expected}.", param, "invalid_type");

    /// <summary>A required field is missing.</summary>
    public static ApiError MissingField(string param) =>
        new(400, "missing_field", InvalidRequest, $"Missing required parameter: '{param}'.", param, "missing_required_parameter");

    /// <summary>An inference endpoint was called without a body.</summary>
    public static ApiError MissingBody() =>
        new(400, "missing_body", InvalidRequest, "The request has no body; a JSON body is required.", Code: "missing_body");

    /// <summary>The body exceeds the configured limit.</summary>
    public static ApiError BodyTooLarge(long limit) =>
        new(413, "body_too_large", InvalidRequest, $"The request body exceeds the limit of {limit} bytes.", Code: "request_too_large");

    /// <summary>Only part of the body reached the server (Envoy's BUFFERED_PARTIAL buffer was exceeded).</summary>
    public static ApiError BodyTruncated() =>
        new(413, "body_truncated", InvalidRequest, "The request body is larger than the proxy buffer and could not be inspected.", Code: "request_too_large");

    /// <summary>An array of the body holds more items than the server inspects (the <c>inspection</c> limits).</summary>
    public static ApiError TooManyItems(string param, string items, int max) =>
        new(400, "too_many_items", InvalidRequest, $"'{param}' holds too many {items}: at most {max} are accepted.", param, "array_above_max_length");

    /// <summary>The requested model is not served here.</summary>
    public static ApiError ModelNotFound(string model) =>
        new(404, "model_not_found", InvalidRequest, $"The model '{Truncate(model)}' does not exist or you do not have access to it.", "model", "model_not_found");

    /// <summary>The model exists but does not serve the API the request called.</summary>
    public static ApiError UnsupportedApi(string model, string api) =>
        new(400, "unsupported_api", InvalidRequest, $"The model '{Truncate(model)}' does not serve the {api} API.", "model", "unsupported_api");

    /// <summary>A request header the server reads has a value it does not accept.</summary>
    public static ApiError InvalidHeader(string header, string expected) =>
        new(400, "invalid_header", InvalidRequest, $"Invalid value for header '{header}': expected {expected}.", header, "invalid_header");

    /// <summary>The model's tokenizer failed to load and the config refuses requests rather than falling back.</summary>
    public static ApiError TokenizerUnavailable() =>
        new(503, "tokenizer_unavailable", "server_error", "The model's tokenizer is not available; try again later.", Code: "tokenizer_unavailable");

    /// <summary>A stage held the request past the time the server has to answer Envoy.</summary>
    public static ApiError DeadlineExceeded() =>
        new(504, "deadline_exceeded", "server_error", "The request could not be processed in time; try again.", Code: "deadline_exceeded");

    /// <summary>
    /// The server has as much request-body work in hand as its memory budget allows (or ran out of memory): the
    /// same request can succeed after <c>retry-after</c>.
    /// </summary>
    public static ApiError Overloaded() =>
        new(503, "overloaded", "server_error", "The server is busy with other large requests; retry after the time in the Retry-After header.", Code: "server_overloaded");

    /// <summary>
    /// Admission shed the request: its pool (and every overflow pool open to it) is saturated. The same request can
    /// succeed after <c>retry-after</c>; OpenAI's clients retry a 429 on their own.
    /// </summary>
    public static ApiError Shed() =>
        new(429, "shed", "requests", "The model's servers are at capacity; retry after the time in the Retry-After header.", Code: "rate_limit_exceeded");

    /// <summary>No healthy endpoint serves the model: every GPU of its pools is unhealthy, every endpoint down, or every breaker open.</summary>
    public static ApiError NoHealthyEndpoint() =>
        new(503, "unavailable", "server_error", "No healthy server can take this model's requests right now; retry after the time in the Retry-After header.", Code: "service_unavailable");

    /// <summary>The model server failed a coalesced batch (an error status, no connection, an answer that does not fit).</summary>
    public static ApiError UpstreamFailed() =>
        new(502, "upstream_error", "server_error", "The model server failed the batched request; try again.", Code: "upstream_error");

    /// <summary>The model server did not answer a coalesced batch within the request's time.</summary>
    public static ApiError UpstreamTimeout() =>
        new(504, "upstream_timeout", "server_error", "The model server did not answer the batched request in time; try again.", Code: "upstream_timeout");

    /// <summary>
    /// The tenant's budget on the model is spent for the window (<paramref name="limit"/>: tokens_per_minute,
    /// tokens_per_day or requests_per_minute). As OpenAI's rate-limit errors: type <c>tokens</c> or <c>requests</c>,
    /// code <c>rate_limit_exceeded</c>.
    /// </summary>
    public static ApiError BudgetExceeded(string limit, string retryAfterSeconds) =>
        new(429, "budget_exceeded", limit.StartsWith("tokens", StringComparison.Ordinal) ? "tokens" : "requests",
            $"Rate limit reached on {limit.Replace('_', ' ')} for this model. Please try again in {retryAfterSeconds}s.", Code: "rate_limit_exceeded");

    /// <summary>Budgets are enforced fail-closed and their store (Redis) did not answer in time.</summary>
    public static ApiError BudgetUnavailable() =>
        new(503, "budget_unavailable", "server_error", "The token budget could not be checked; retry after the time in the Retry-After header.", Code: "service_unavailable");

    /// <summary>An unexpected server fault.</summary>
    public static ApiError Internal() =>
        new(500, "internal", "server_error", "The routing sidecar failed to process the request.", Code: "internal_error");

    private static string Truncate(string value) => value.Length <= 128 ? value : string.Concat(value.AsSpan(0, 128), "…");
}
