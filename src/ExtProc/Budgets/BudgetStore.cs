using AiSidecar.ExtProc.Redis;
using StackExchange.Redis;

namespace AiSidecar.ExtProc.Budgets;

/// <summary>
/// The budgets' counters in Redis, changed only by Lua scripts, so every replica sees one number and a reservation
/// is all-or-nothing: a request is admitted only when every limited counter has room for it, and then all of them
/// are charged in the same step.
/// </summary>
internal sealed class BudgetStore(RedisConnection redis)
{
    // KEYS: minute tokens, day tokens, minute requests. ARGV: tokens, the three limits (0: none), the two windows' TTLs (ms).
    // Returns {admitted (1/0), the counter that refused (1-3, 0 when admitted), the three counters after}.
    private const string ReserveScript = """
        local cost = tonumber(ARGV[1])
        local limits = {tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])}
        local adds = {cost, cost, 1}
        local ttls = {tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[5])}
        local used = {0, 0, 0}
        for i = 1, 3 do
          if limits[i] > 0 then
            used[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
            if used[i] + adds[i] > limits[i] then
              return {0, i, used[1], used[2], used[3]}
            end
          end
        end
        for i = 1, 3 do
          if limits[i] > 0 then
            used[i] = redis.call('INCRBY', KEYS[i], adds[i])
            if used[i] == adds[i] then
              redis.call('PEXPIRE', KEYS[i], ttls[i])
            end
          end
        end
        return {1, 0, used[1], used[2], used[3]}
        """;

    // KEYS: the token counters charged at reservation (those with a limit). ARGV: the change (actual - reserved).
    // A counter whose window has ended (the key expired) is left alone; none goes below 0.
    private const string AdjustScript = """
        local delta = tonumber(ARGV[1])
        for i = 1, #KEYS do
          if redis.call('EXISTS', KEYS[i]) == 1 then
            if redis.call('INCRBY', KEYS[i], delta) < 0 then
              redis.call('SET', KEYS[i], 0, 'KEEPTTL')
            end
          end
        end
        return 0
        """;

    /// <summary>Tries to charge <paramref name="tokens"/> and one request to the counters <paramref name="keys"/> under <paramref name="limits"/>.</summary>
    public async Task<ReserveResult> ReserveAsync(string[] keys, long tokens, BudgetLimits limits, TimeSpan minuteLeft, TimeSpan dayLeft)
    {
        var result = await redis.RunAsync(db => db.ScriptEvaluateAsync(ReserveScript, [keys[0], keys[1], keys[2]],
            [tokens, limits.TokensPerMinute, limits.TokensPerDay, limits.RequestsPerMinute,
             (long)minuteLeft.TotalMilliseconds + 60_000, (long)dayLeft.TotalMilliseconds + 60_000]), RedisOperation.Reserve).ConfigureAwait(false);
        var values = (long[])result!;
        return new ReserveResult(values[0] == 1, (BudgetCounter)values[1], values[2], values[3], values[4]);
    }

    /// <summary>Adds <paramref name="delta"/> (negative: a refund) to the token counters <paramref name="keys"/> that still exist.</summary>
    public Task AdjustAsync(RedisKey[] keys, long delta, string operation) =>
        redis.RunAsync(db => db.ScriptEvaluateAsync(AdjustScript, keys, [delta]), operation);
}

/// <summary>Which counter refused a reservation.</summary>
internal enum BudgetCounter
{
    None = 0,
    TokensPerMinute = 1,
    TokensPerDay = 2,
    RequestsPerMinute = 3,
}

/// <summary>A reservation's answer: admitted or not, the counter that refused, and the three counters' values after it.</summary>
internal readonly record struct ReserveResult(bool Admitted, BudgetCounter RefusedBy, long MinuteTokens, long DayTokens, long MinuteRequests);
