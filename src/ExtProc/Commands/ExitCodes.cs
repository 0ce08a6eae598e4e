namespace AiSidecar.ExtProc.Commands;

/// <summary>The exit codes of the server and its commands (README and docs/configuration.md list them).</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The command found a problem: a config error (<c>validate</c>), a mismatched case (<c>check</c>), a rejected request (<c>tokens</c>), or the server could not start (a port in use).</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong: an unknown command or option, a missing argument, a file that cannot be read.</summary>
    public const int Usage = 2;

    /// <summary>The config is invalid (EX_CONFIG of sysexits.h): every problem is printed with its file, line, column and key path.</summary>
    public const int InvalidConfig = 78;
}
