using AiSidecar.ExtProc.Fuzz;
using SharpFuzz;

// ExtProc.Fuzz TARGET            under afl-fuzz (scripts/fuzz.sh): each execution reads one input on stdin
// ExtProc.Fuzz TARGET FILE...    replays inputs without AFL (a corpus, a crash found); exit 1 when one fails
if (args.Length == 0 || FuzzTargets.Find(args[0]) is not { } target)
{
    await Console.Error.WriteLineAsync("usage: ExtProc.Fuzz TARGET [FILE|DIRECTORY...]; targets: " + string.Join(", ", FuzzTargets.All.Select(t => t.Name)));
    return 2;
}

if (args.Length == 1)
{
    Fuzzer.Run(stream =>
    {
        using var input = new MemoryStream();
        stream.CopyTo(input);
        target.Run(input.ToArray());
    });
    return 0;
}

return Replay.Run(target, args[1..], Console.Out);
