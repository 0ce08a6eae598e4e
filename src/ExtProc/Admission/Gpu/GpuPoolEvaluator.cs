namespace AiSidecar.ExtProc.Admission.Gpu;

/// <summary>
/// Selects the GPUs of a pool in a <see cref="GpuFleetSnapshot"/> and sums them up. Agents must carry every
/// <see cref="PoolGpuOptions.NodeLabels"/> pair; on those agents, when <see cref="PoolGpuOptions.Namespace"/> or
/// <see cref="PoolGpuOptions.Pods"/> is given, a GPU or MIG device is selected when one of its pods matches both given
/// parts; otherwise every GPU (as a whole, MIG or not) is selected. A selector with no part selects nothing.
/// </summary>
internal static class GpuPoolEvaluator
{
    /// <summary>The reason given for an agent selected by its labels that cannot read NVML (its GPUs are unknown).</summary>
    public const string NvmlDownReason = "nvml_down";

    public static PoolGpuState Evaluate(GpuFleetSnapshot snapshot, PoolGpuOptions selector)
    {
        var byPods = selector.Namespace.Length > 0 || selector.Pods.Length > 0;
        if (!byPods && selector.NodeLabels.Count == 0)
        {
            return PoolGpuState.None;
        }

        var sum = new Sum();
        foreach (var agent in snapshot.Agents.Values)
        {
            if (agent.Node is not { } node || !HasLabels(node, selector.NodeLabels))
            {
                continue;
            }

            var before = sum.Matched;
            foreach (var gpu in node.Devices)
            {
                if (!byPods || Carries(gpu, selector))
                {
                    sum.Add(gpu);
                }

                if (byPods)
                {
                    foreach (var mig in gpu.MigDevices)
                    {
                        if (Carries(mig, selector))
                        {
                            sum.Add(mig);
                        }
                    }
                }
            }

            var nvmlDown = !node.NvmlUp && selector.NodeLabels.Count > 0;
            if (nvmlDown)
            {
                sum.Reason(NvmlDownReason);
            }

            if (sum.Matched > before || nvmlDown)
            {
                sum.Contributed(agent);
            }
        }

        return sum.Result();
    }

    /// <summary>Glob match: <c>*</c> any run of characters, <c>?</c> one character, anything else itself (ordinal).</summary>
    public static bool GlobMatches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || (pattern[p] != '*' && pattern[p] == text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool HasLabels(GpuNodeState node, Dictionary<string, string> labels)
    {
        foreach (var (key, value) in labels)
        {
            if (!node.PoolLabels.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Carries(GpuDeviceState device, PoolGpuOptions selector)
    {
        foreach (var pod in device.Pods)
        {
            if ((selector.Namespace.Length == 0 || string.Equals(pod.Namespace, selector.Namespace, StringComparison.Ordinal))
                && (selector.Pods.Length == 0 || GlobMatches(selector.Pods, pod.Pod)))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Sum
    {
        private readonly SortedSet<string> _reasons = new(StringComparer.Ordinal);
        private int _healthy;
        private long? _free;
        private long? _total;
        private DateTimeOffset? _oldest;
        private bool _anyDisconnected;

        public int Matched { get; private set; }

        public void Add(GpuDeviceState device)
        {
            Matched++;
            if (!device.Healthy)
            {
                _reasons.UnionWith(device.Reasons);
                return;
            }

            _healthy++;
            if (device.MemoryFreeBytes is { } free)
            {
                _free = (_free ?? 0) + free;
            }

            if (device.MemoryTotalBytes is { } total)
            {
                _total = (_total ?? 0) + total;
            }
        }

        public void Reason(string reason) => _reasons.Add(reason);

        public void Contributed(GpuAgentState agent)
        {
            if (agent.ReceivedAt is { } at && (_oldest is null || at < _oldest))
            {
                _oldest = at;
            }

            _anyDisconnected |= !agent.Connected;
        }

        public PoolGpuState Result() => Matched == 0 && _reasons.Count == 0 && _oldest is null
            ? PoolGpuState.None
            : new(Matched, _healthy, [.. _reasons], _oldest, _free, _total, _anyDisconnected);
    }
}
