namespace AiSidecar.ExtProc.Coalescing;

/// <summary>
/// The bearer tokens of upstreams (<c>upstream.bearerTokenFile</c>, a mounted Secret), read again at most every 30 s
/// so a rotated Secret applies without a restart. A file that cannot be read gives no token (the call goes without).
/// </summary>
internal sealed class BearerTokens(TimeProvider time, ILogger<BearerTokens> logger)
{
    private static readonly TimeSpan ReadEvery = TimeSpan.FromSeconds(30);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string? Token, long ReadAt)> _files = new(StringComparer.Ordinal);

    /// <summary>The token in <paramref name="file"/>, trimmed; null when none is configured or it cannot be read.</summary>
    public string? Read(string file)
    {
        if (file.Length == 0)
        {
            return null;
        }

        var now = time.GetTimestamp();
        if (_files.TryGetValue(file, out var known) && time.GetElapsedTime(known.ReadAt, now) < ReadEvery)
        {
            return known.Token;
        }

        string? token;
        try
        {
            token = File.ReadAllText(file).Trim();
            token = token.Length > 0 ? token : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            CoalescingLog.TokenUnreadable(logger, file, ex.Message);
            token = null;
        }

        _files[file] = (token, now);
        return token;
    }
}
