namespace AiSidecar.ExtProc.Configuration;

/// <summary>What one check of the config file did.</summary>
internal enum ReloadResult
{
    /// <summary>No file, or the same content as last time.</summary>
    Unchanged,

    /// <summary>A new valid config is in use.</summary>
    Reloaded,

    /// <summary>The new content is invalid (or unreadable); the last good config stays in use.</summary>
    Rejected,
}
