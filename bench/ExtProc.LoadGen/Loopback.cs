using System.Net;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>Keeps every address this tool talks to on the loopback interface.</summary>
internal static class Loopback
{
    public static Uri Require(Uri uri)
    {
        var loopback = uri.IsLoopback
            || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
        return loopback ? uri : throw new ArgumentException($"{uri} is not a loopback address; this tool only drives local servers.");
    }

    public static IPAddress RequireAddress(string text)
    {
        var address = IPAddress.Parse(text);
        return IPAddress.IsLoopback(address) ? address : throw new ArgumentException($"{text} is not a loopback address.");
    }
}
