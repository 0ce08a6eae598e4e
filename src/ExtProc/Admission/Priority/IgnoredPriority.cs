namespace AiSidecar.ExtProc.Admission.Priority;

/// <summary>Why a priority header the request carried was ignored (the <c>reason</c> label of <c>extproc_priority_ignored_total</c>).</summary>
internal enum IgnoredPriority
{
    /// <summary>Not ignored: the request carried no priority header, or it was honoured.</summary>
    None,

    /// <summary>The caller's identity matched no trusted caller (or it had none, or the identity header was malformed).</summary>
    Untrusted,

    /// <summary>A trusted caller sent a value other than <c>critical</c>, <c>standard</c> or <c>sheddable</c>.</summary>
    Invalid,
}
