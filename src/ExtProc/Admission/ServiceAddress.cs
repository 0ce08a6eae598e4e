using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AiSidecar.ExtProc.Admission;

/// <summary>
/// A <c>name:port</c> naming a headless Kubernetes Service (or any DNS name): every address it resolves to is one
/// target (a GPU agent, a model server). Resolved again periodically, as pods come and go.
/// </summary>
/// <param name="Host">The DNS name (or a literal address).</param>
/// <param name="Port">The port of every target.</param>
internal readonly record struct ServiceAddress(string Host, int Port)
{
    /// <summary>Parses <c>name:port</c> (a bracketed IPv6 literal is accepted: <c>[::1]:50052</c>).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ServiceAddress? address)
    {
        address = null;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0 || colon == text.Length - 1
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (host.Length == 0 || host.Contains(':', StringComparison.Ordinal) && !IPAddress.TryParse(host, out _))
        {
            return false;
        }

        address = new ServiceAddress(host, port);
        return true;
    }

    /// <summary>The endpoint of one resolved address, as <c>host:port</c> (IPv6 bracketed).</summary>
    public static string Endpoint(IPAddress ip, int port) =>
        ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]:{port.ToString(CultureInfo.InvariantCulture)}" : $"{ip}:{port.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal)
        ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}"
        : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>Resolves a DNS name to its addresses: the seam tests replace.</summary>
internal interface IAddressResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellation);
}

/// <summary>The system resolver (<see cref="Dns"/>): for a headless Service, one address per ready pod.</summary>
internal sealed class DnsAddressResolver : IAddressResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellation) => Dns.GetHostAddressesAsync(host, cancellation);
}
