using System.IO.Hashing;

namespace AiSidecar.ExtProc.Configuration;

/// <summary>
/// The one change detector for every file the server reloads (its config file, tokenizer files): a file changed
/// when its content did. The file's final link target, size and modification time are compared first, so an
/// unchanged file is not read again; a ConfigMap update (a symlink swap, which file events miss) changes them.
/// Not thread-safe: its owner checks it under its own lock.
/// </summary>
internal sealed class WatchedFile(string path)
{
    private bool _observed;
    private Stamp? _stamp;
    private ulong? _hash;

    /// <summary>The path as configured.</summary>
    public string Path => path;

    /// <summary>
    /// True with the file's <paramref name="content"/> when the content differs from the last content seen; the
    /// first check of an existing file is a change.
    /// </summary>
    /// <exception cref="IOException">
    /// The file is unreadable, or it went missing since the last check (a missing file is reported once, then
    /// unchanged until it reappears).
    /// </exception>
    public bool HasChanged(out byte[] content)
    {
        content = [];
        var stamp = Stamp.Of(path);
        if (_observed && stamp == _stamp)
        {
            return false;
        }

        if (stamp is null)
        {
            (_observed, _stamp) = (true, null);
            throw new FileNotFoundException($"The file '{path}' does not exist.", path);
        }

        content = File.ReadAllBytes(path);
        (_observed, _stamp) = (true, stamp);
        var hash = XxHash3.HashToUInt64(content);
        if (hash == _hash)
        {
            content = [];
            return false;
        }

        _hash = hash;
        return true;
    }

    private sealed record Stamp(string Target, long Length, DateTime Modified)
    {
        public static Stamp? Of(string path)
        {
            if (!File.Exists(path))
            {
                return null;
            }

            var target = new FileInfo(path).LinkTarget is null
                ? System.IO.Path.GetFullPath(path)
                : File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? System.IO.Path.GetFullPath(path);
            var info = new FileInfo(target);
            return info.Exists ? new Stamp(target, info.Length, info.LastWriteTimeUtc) : null;
        }
    }
}
