namespace AiSidecar.ExtProc.Routing;

/// <summary>The request body fields a stickiness key can come from.</summary>
internal enum StickyKeyField
{
    /// <summary>OpenAI's <c>user</c> field.</summary>
    User,
}
