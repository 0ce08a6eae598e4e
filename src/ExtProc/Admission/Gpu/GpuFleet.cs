using System.Collections.Immutable;
using AiSidecar.GpuAgent.Api.V1;

namespace AiSidecar.ExtProc.Admission.Gpu;

/// <summary>
/// The GPU state of every watched agent (<see cref="Current"/>), kept by <see cref="GpuAgentWatcher"/>. Readers take
/// the current snapshot without a lock; each change builds the next snapshot and swaps it in whole.
/// </summary>
internal sealed class GpuFleet(TimeProvider time)
{
    private readonly Lock _writer = new();
    private GpuFleetSnapshot _current = GpuFleetSnapshot.Empty;

    /// <summary>The latest snapshot (never null; <see cref="GpuFleetSnapshot.Empty"/> before any agent is known).</summary>
    public GpuFleetSnapshot Current => Volatile.Read(ref _current);

    /// <summary>The GPUs of one pool in the current snapshot.</summary>
    public PoolGpuState Evaluate(PoolGpuOptions selector) => GpuPoolEvaluator.Evaluate(Current, selector);

    /// <summary>Makes <paramref name="addresses"/> the watched agents: new ones start unknown, missing ones are dropped with their GPUs.</summary>
    public GpuFleetSnapshot SetAgents(IReadOnlySet<string> addresses) => Change(agents =>
    {
        var next = agents.RemoveRange(agents.Keys.Where(a => !addresses.Contains(a)));
        foreach (var address in addresses)
        {
            if (!next.ContainsKey(address))
            {
                next = next.Add(address, GpuAgentState.Unknown(address));
            }
        }

        return next;
    });

    /// <summary>Records an update received from <paramref name="address"/> now; the agent counts as connected. Ignored for an agent no longer watched.</summary>
    public GpuFleetSnapshot Received(string address, NodeSnapshot update)
    {
        var node = GpuNodeReader.Read(update, Current.Agents.GetValueOrDefault(address)?.Node);
        return Change(agents => agents.ContainsKey(address)
            ? agents.SetItem(address, new GpuAgentState(address, true, time.GetUtcNow(), node))
            : agents);
    }

    /// <summary>Records that the stream of <paramref name="address"/> failed; its GPUs stay as last seen. Ignored for an agent no longer watched.</summary>
    public GpuFleetSnapshot Disconnected(string address) => Change(agents =>
        agents.TryGetValue(address, out var agent) && agent.Connected ? agents.SetItem(address, agent with { Connected = false }) : agents);

    private GpuFleetSnapshot Change(Func<ImmutableSortedDictionary<string, GpuAgentState>, ImmutableSortedDictionary<string, GpuAgentState>> change)
    {
        lock (_writer)
        {
            var current = _current;
            var agents = change(current.Agents);
            if (ReferenceEquals(agents, current.Agents))
            {
                return current;
            }

            var next = new GpuFleetSnapshot(current.Version + 1, agents);
            Volatile.Write(ref _current, next);
            return next;
        }
    }
}
