namespace AiSidecar.ExtProc.Admission.Priority;

/// <summary>The wire and metric names of the priority classes: <c>critical</c>, <c>standard</c>, <c>sheddable</c>.</summary>
internal static class PriorityLabels
{
    /// <summary>The class's lower-case name, as headers and metrics carry it.</summary>
    public static string Of(RequestPriority priority) => priority switch
    {
        RequestPriority.Critical => "critical",
        RequestPriority.Sheddable => "sheddable",
        _ => "standard",
    };

    /// <summary>Reads a priority header's value: one of the three names, case-insensitive, spaces around it ignored.</summary>
    public static bool TryParse(string value, out RequestPriority priority)
    {
        var name = value.AsSpan().Trim(" \t");
        foreach (var candidate in (ReadOnlySpan<RequestPriority>)[RequestPriority.Critical, RequestPriority.Standard, RequestPriority.Sheddable])
        {
            if (name.Equals(Of(candidate), StringComparison.OrdinalIgnoreCase))
            {
                priority = candidate;
                return true;
            }
        }

        priority = default;
        return false;
    }
}
