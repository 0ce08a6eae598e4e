using System.Text;
using Envoy.Service.ExtProc.V3;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>Applies a HeaderMutation the way Envoy's <c>MutationUtils::applyHeaderMutations</c> does.</summary>
internal static class HeaderMutationApplier
{
    /// <summary>The HCM's default <c>max_request_headers_count</c>.</summary>
    public const int MaxHeadersCount = 100;

    /// <summary>The HCM's default <c>max_request_headers_kb</c>, in bytes.</summary>
    public const int MaxHeadersBytes = 60 * 1024;

    /// <summary>Returns null on success, else the error Envoy turns into a 500.</summary>
    public static string? Apply(
        HeaderMutation mutation, HttpHeaderList headers, bool replacingMessage, MutationChecker checker, bool removeContentLength)
    {
        if (mutation.RemoveHeaders.Count > MaxHeadersCount || mutation.SetHeaders.Count > MaxHeadersCount)
        {
            return $"Header mutation remove header count {mutation.RemoveHeaders.Count} or set header count " +
                $"{mutation.SetHeaders.Count} exceed the HCM header countlimit {MaxHeadersCount}";
        }

        foreach (var name in mutation.RemoveHeaders)
        {
            if (!MutationChecker.IsValidName(name))
            {
                return "Invalid character in remove_headers mutation.";
            }

            var key = name.ToLowerInvariant();
            if (checker.IsAllowed(MutationChecker.Operation.Remove, key, string.Empty))
            {
                headers.Remove(key);
            }
        }

        foreach (var option in mutation.SetHeaders)
        {
            if (option.Header is not { } header)
            {
                continue;
            }

            if (removeContentLength && header.Key.Equals("content-length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (header.Value.Length > 0 && !header.RawValue.IsEmpty)
            {
                return "Only one of value or raw_value in the HeaderValue message should be set.";
            }

            // Envoy 1.32+ reads raw_value only: a header sent in value alone becomes an empty header (#31555).
            if (!MutationChecker.IsValidName(header.Key) || !MutationChecker.IsValidValue(header.RawValue.Span))
            {
                return "Invalid character in set_headers mutation.";
            }

            var key = header.Key.ToLowerInvariant();
            var value = Encoding.UTF8.GetString(header.RawValue.Span);
            // ext_proc honours only the deprecated append (unset: overwrite); append_action is ignored (#36982).
#pragma warning disable CS0612
            var append = option.Append ?? false;
#pragma warning restore CS0612
            var operation = append && headers.Contains(key) ? MutationChecker.Operation.Append : MutationChecker.Operation.Set;
            var allowed = checker.IsAllowed(operation, key, value) || (replacingMessage && key == ":method");
            if (!allowed)
            {
                continue;
            }

            if (append)
            {
                headers.Add(key, value);
            }
            else
            {
                headers.Set(key, value);
            }
        }

        var bytes = headers.Sum(h => h.Key.Length + Encoding.UTF8.GetByteCount(h.Value));
        return headers.Count > MaxHeadersCount || bytes > MaxHeadersBytes
            ? $"Header mutation causes end result header count {headers.Count} or header size {bytes} bytes, exceeding the limits"
            : null;
    }
}
