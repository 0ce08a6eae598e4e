namespace AiSidecar.ExtProc.Admission.Priority;

/// <summary>A request's priority class, where it came from, and whether a priority header was ignored on the way.</summary>
internal readonly record struct PriorityResolution(RequestPriority Priority, PrioritySource Source, IgnoredPriority Ignored = IgnoredPriority.None);
