using AiSidecar.ExtProc.Errors;

namespace AiSidecar.ExtProc.Pipeline;

/// <summary>What a request stage decided: continue to the next stage, or end the exchange with a local answer.</summary>
internal readonly struct StageResult
{
    private StageResult(LocalResponse? response) => Response = response;

    /// <summary>Go on with the next stage (after the last: forward the request with the decision).</summary>
    public static StageResult Continue => default;

    /// <summary>The answer that ends the exchange; null to continue.</summary>
    public LocalResponse? Response { get; }

    /// <summary>True to go on with the next stage.</summary>
    public bool IsContinue => Response is null;

    /// <summary>Refuse the request with an OpenAI-style error.</summary>
    public static StageResult Reject(ApiError error) => new(LocalResponse.FromError(error));

    /// <summary>Answer the request locally (a cached response, a coalesced slice, shed load).</summary>
    public static StageResult Respond(LocalResponse response) => new(response);
}
