using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;

namespace AiSidecar.Configuration;

/// <summary>Validates that a string is an IPv4 address in dotted-quad form or an IPv6 address; null passes (use <see cref="RequiredAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class IPAddressAttribute : ValidationAttribute
{
    /// <summary>Creates the attribute.</summary>
    public IPAddressAttribute()
        : base("The field {0} must be an IP address.")
    {
    }

    /// <summary>Whether <paramref name="text"/> is an IP address as people write one (IPAddress.Parse alone also takes <c>1</c> or <c>127.1</c>).</summary>
    public static bool IsAddress(string? text) =>
        text is not null && IPAddress.TryParse(text, out var address)
        && (address.AddressFamily == AddressFamily.InterNetworkV6 ? text.Contains(':', StringComparison.Ordinal) : text.Split('.').Length == 4);

    /// <inheritdoc/>
    public override bool IsValid(object? value) => value is null || (value is string text && IsAddress(text));
}
