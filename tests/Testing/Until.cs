using System.Diagnostics;

namespace AiSidecar.Testing;

/// <summary>
/// Explicit synchronization on a state another thread brings about (a background thread records an event, a
/// deferred shutdown runs): the condition is polled until it holds. The guard only stops a broken test from hanging;
/// a passing test never comes near it, however slow the machine.
/// </summary>
public static class Until
{
    /// <summary>How long a condition may take before the test fails.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    /// <exception cref="TimeoutException">The condition did not hold within <see cref="Guard"/>.</exception>
    public static Task TrueAsync(Func<bool> condition, string what) => TrueAsync(() => Task.FromResult(condition()), what);

    /// <exception cref="TimeoutException">The condition did not hold within <see cref="Guard"/>.</exception>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var start = Stopwatch.GetTimestamp();
        while (!await condition().ConfigureAwait(false))
        {
            if (Stopwatch.GetElapsedTime(start) > Guard)
            {
                throw new TimeoutException($"Waited {Guard.TotalSeconds:0} s for {what}.");
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }
}
