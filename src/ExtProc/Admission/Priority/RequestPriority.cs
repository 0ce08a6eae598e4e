namespace AiSidecar.ExtProc.Admission.Priority;

/// <summary>A request's priority class: what is shed first when its pool is saturated.</summary>
internal enum RequestPriority
{
    /// <summary>Never shed while any pool serving its model has headroom.</summary>
    Critical,

    /// <summary>Overflows, and is shed only after sheddable traffic.</summary>
    Standard,

    /// <summary>Shed first (batch, offline).</summary>
    Sheddable,
}
