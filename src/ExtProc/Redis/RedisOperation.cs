namespace AiSidecar.ExtProc.Redis;

/// <summary>
/// The server's Redis calls and how one can fail: the <c>operation</c> and <c>error</c> labels of
/// <c>extproc_redis_errors_total</c>, whose every series starts at 0 once Redis is configured.
/// </summary>
internal static class RedisOperation
{
    public const string Reserve = "reserve";
    public const string Commit = "commit";
    public const string Release = "release";
    public const string CacheGet = "cache_get";
    public const string CacheSet = "cache_set";

    public const string NotConnected = "not_connected";
    public const string Timeout = "timeout";
    public const string Connection = "connection";
    public const string Error = "error";

    /// <summary>Every operation.</summary>
    public static IReadOnlyList<string> All { get; } = [Reserve, Commit, Release, CacheGet, CacheSet];

    /// <summary>Every way a call can fail.</summary>
    public static IReadOnlyList<string> Errors { get; } = [NotConnected, Timeout, Connection, Error];
}
