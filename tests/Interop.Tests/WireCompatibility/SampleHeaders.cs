using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;

namespace AiSidecar.Interop.Tests.WireCompatibility;

/// <summary>Header mutations as the server writes them: raw_value only, overwrite semantics.</summary>
internal static class SampleHeaders
{
    // Append is deprecated by Envoy, yet it is the one field ext_proc honours: keep it on the wire test.
#pragma warning disable CS0612
    public static HeaderMutation Routing() => new()
    {
        SetHeaders =
        {
            Overwrite("x-ai-model", "gpt-4o"),
            Overwrite("x-ai-prompt-tokens", "1234"),
            Overwrite("x-token-range", "medium"),
            Overwrite("x-ai-pool", "llm-medium"),
            new HeaderValueOption { Header = Raw("x-legacy", "1"), Append = false, KeepEmptyValue = true },
        },
    };
#pragma warning restore CS0612

    public static HeaderValueOption Overwrite(string key, string value) => new()
    {
        Header = Raw(key, value),
        AppendAction = HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd,
    };

    public static HeaderValue Raw(string key, string value) => new() { Key = key, RawValue = ByteString.CopyFromUtf8(value) };
}
