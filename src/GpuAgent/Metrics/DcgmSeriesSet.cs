using Prometheus;

namespace AiSidecar.GpuAgent.Metrics;

/// <summary>A labelled gauge that forgets the series not written since <see cref="BeginUpdate"/>.</summary>
internal sealed class DcgmSeriesSet(Gauge gauge)
{
    private HashSet<string> _previous = new(StringComparer.Ordinal);
    private HashSet<string> _current = new(StringComparer.Ordinal);

    public void BeginUpdate() => _current = new HashSet<string>(StringComparer.Ordinal);

    public void Set(string[] labels, double value)
    {
        gauge.WithLabels(labels).Set(value);
        _current.Add(string.Join('\u001f', labels));
    }

    /// <summary>Writes only readable values, so an absent reading has no series rather than a zero.</summary>
    public void SetIf(bool present, string[] labels, double value)
    {
        if (present)
        {
            Set(labels, value);
        }
    }

    public void EndUpdate()
    {
        foreach (var key in _previous)
        {
            if (!_current.Contains(key))
            {
                gauge.RemoveLabelled(key.Split('\u001f'));
            }
        }

        _previous = _current;
    }
}
