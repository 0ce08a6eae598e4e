using System.Globalization;

namespace AiSidecar.ExtProc.Budgets;

/// <summary>
/// OpenAI's rate-limit response headers: <c>x-ratelimit-{limit,remaining,reset}-{requests,tokens}</c>, the reset as a
/// duration (<c>20ms</c>, <c>59s</c>, <c>1m0s</c>, <c>23h59m59s</c>). The token headers tell the minute window when
/// the model has <c>tokensPerMinute</c>, else the day window; the request headers only when it has <c>requestsPerMinute</c>.
/// </summary>
internal static class RateLimitHeaders
{
    /// <summary>The headers for <paramref name="limits"/> with the counters at <paramref name="result"/>.</summary>
    public static KeyValuePair<string, string>[] For(BudgetLimits limits, ReserveResult result, TimeSpan minuteLeft, TimeSpan dayLeft)
    {
        var headers = new List<KeyValuePair<string, string>>(6);
        if (limits.RequestsPerMinute > 0)
        {
            Add(headers, "requests", limits.RequestsPerMinute, result.MinuteRequests, minuteLeft);
        }

        if (limits.TokensPerMinute > 0)
        {
            Add(headers, "tokens", limits.TokensPerMinute, result.MinuteTokens, minuteLeft);
        }
        else if (limits.TokensPerDay > 0)
        {
            Add(headers, "tokens", limits.TokensPerDay, result.DayTokens, dayLeft);
        }

        return [.. headers];
    }

    /// <summary>A duration as OpenAI writes it (Go's style): <c>20ms</c> under a second, else hours, minutes and whole seconds.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(1))
        {
            return ((long)Math.Ceiling(Math.Max(0, span.TotalMilliseconds))).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var seconds = (long)Math.Ceiling(span.TotalSeconds);
        var (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        return h > 0 ? string.Create(CultureInfo.InvariantCulture, $"{h}h{m}m{s}s")
            : m > 0 ? string.Create(CultureInfo.InvariantCulture, $"{m}m{s}s")
            : string.Create(CultureInfo.InvariantCulture, $"{s}s");
    }

    private static void Add(List<KeyValuePair<string, string>> headers, string what, long limit, long used, TimeSpan reset)
    {
        headers.Add(new("x-ratelimit-limit-" + what, limit.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new("x-ratelimit-remaining-" + what, Math.Max(0, limit - used).ToString(CultureInfo.InvariantCulture)));
        headers.Add(new("x-ratelimit-reset-" + what, Duration(reset)));
    }
}
