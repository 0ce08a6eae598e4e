namespace AiSidecar.ExtProc.Routing;

/// <summary>One source of the stickiness key: a request header, or a body field (<c>user</c>). Set exactly one.</summary>
internal sealed class StickyKeyOptions
{
    /// <summary>A request header, lower case (for example <c>x-user-id</c> or <c>x-session-id</c>).</summary>
    public string? Header { get; set; }

    /// <summary>A body field: <c>user</c>.</summary>
    public StickyKeyField? Field { get; set; }
}
