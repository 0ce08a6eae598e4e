namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// One reusable list of pre-token ranges per thread, so counting a prompt allocates no list: a 256 KB prompt has
/// about 60,000 pre-tokens, whose ranges would otherwise take a new half-megabyte array on every request.
/// </summary>
internal static class PieceLists
{
    /// <summary>Lists grown past this many ranges (4 MiB prompts) are not kept.</summary>
    private const int MaxKeptCapacity = 1 << 20;

    [ThreadStatic]
    private static List<Range>? t_list;

    /// <summary>Takes this thread's list (or a new one when it is already taken).</summary>
    public static List<Range> Rent()
    {
        var list = t_list ?? new List<Range>(256);
        t_list = null;
        return list;
    }

    /// <summary>Gives a list back for the next count on this thread.</summary>
    public static void Return(List<Range> list)
    {
        if (list.Capacity <= MaxKeptCapacity)
        {
            list.Clear();
            t_list = list;
        }
    }
}
