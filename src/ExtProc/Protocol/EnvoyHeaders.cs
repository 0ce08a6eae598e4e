using Envoy.Config.Core.V3;
using Google.Protobuf;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>Reads and writes Envoy headers the way Envoy 1.30+ expects: <c>raw_value</c> in and out.</summary>
internal static class EnvoyHeaders
{
    /// <summary>The header's value: <c>raw_value</c>, or <c>value</c> when an older Envoy sent only that.</summary>
    public static string ValueOf(HeaderValue header) =>
        header.RawValue.IsEmpty ? header.Value : header.RawValue.ToStringUtf8();

    /// <summary>The first value of <paramref name="name"/> (lower-case), or null.</summary>
    public static string? Find(HeaderMap? map, string name)
    {
        if (map is null)
        {
            return null;
        }

        foreach (var header in map.Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return ValueOf(header);
            }
        }

        return null;
    }

    /// <summary>
    /// An overwriting set: only <c>raw_value</c> is filled (a <c>value</c> alone becomes an empty header, both make
    /// Envoy answer 500); <c>append</c> stays unset, which ext_proc reads as overwrite.
    /// </summary>
    public static HeaderValueOption Overwrite(string name, string value) => new()
    {
        Header = new HeaderValue { Key = name, RawValue = ByteString.CopyFromUtf8(value) },
        AppendAction = HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd,
    };
}
