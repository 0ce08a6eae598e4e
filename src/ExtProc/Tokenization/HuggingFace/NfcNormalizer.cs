using System.Runtime.InteropServices;
using System.Text;

namespace AiSidecar.ExtProc.Tokenization.HuggingFace;

/// <summary>
/// Unicode NFC for tokenizers whose <c>normalizer</c> asks for it. The runtime normalizes unless it runs with
/// invariant globalization; then ICU (libicuuc, present in the .NET runtime images) is called directly.
/// </summary>
internal static class NfcNormalizer
{
    private static readonly Lazy<Func<string, string>?> Impl = new(Resolve);

    /// <summary>False when neither the runtime nor ICU can normalize: NFC tokenizers are then refused.</summary>
    public static bool IsAvailable => Impl.Value is not null;

    public static string Normalize(string text) => IsLatinOnly(text) ? text : Normalizer()(text);

    /// <summary>The NFC form of <paramref name="text"/>: the text itself, not a copy, when it is below U+0300.</summary>
    public static ReadOnlySpan<char> Normalize(ReadOnlySpan<char> text) => IsLatinOnly(text) ? text : Normalizer()(text.ToString());

    /// <summary>Text below U+0300 is NFC already (the quick-check answer is yes for all of it).</summary>
    private static bool IsLatinOnly(ReadOnlySpan<char> text) => text.IndexOfAnyExceptInRange('\0', '\u02FF') < 0;

    private static Func<string, string> Normalizer() => Impl.Value ?? throw new InvalidOperationException("NFC normalization is not available.");

    private static Func<string, string>? Resolve()
    {
        if ("e\u0301".Normalize(NormalizationForm.FormC).Length == 1)
        {
            return s => s.Normalize(NormalizationForm.FormC);
        }

        return IcuNormalizer.TryCreate();
    }

    private static class IcuNormalizer
    {
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate IntPtr GetInstance(ref int error);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl, CharSet = CharSet.Unicode)]
        private delegate int NormalizeFn(IntPtr normalizer, char[] source, int length, char[] destination, int capacity, ref int error);

        public static Func<string, string>? TryCreate()
        {
            for (var version = 90; version >= 50; version--)
            {
                if (NativeLibrary.TryLoad($"libicuuc.so.{version}", out var library)
                    && NativeLibrary.TryGetExport(library, $"unorm2_getNFCInstance_{version}", out var getInstance)
                    && NativeLibrary.TryGetExport(library, $"unorm2_normalize_{version}", out var normalize))
                {
                    var error = 0;
                    var instance = Marshal.GetDelegateForFunctionPointer<GetInstance>(getInstance)(ref error);
                    if (error > 0 || instance == IntPtr.Zero)
                    {
                        return null;
                    }

                    var fn = Marshal.GetDelegateForFunctionPointer<NormalizeFn>(normalize);
                    return text => Run(fn, instance, text);
                }
            }

            return null;
        }

        private static string Run(NormalizeFn fn, IntPtr instance, string text)
        {
            const int BufferOverflow = 15;
            var source = text.ToCharArray();
            var destination = new char[source.Length + 16];
            var error = 0;
            var length = fn(instance, source, source.Length, destination, destination.Length, ref error);
            if (error == BufferOverflow)
            {
                // ICU reports the length it needs.
                destination = new char[length];
                error = 0;
                length = fn(instance, source, source.Length, destination, destination.Length, ref error);
            }

            return error > 0 ? throw new InvalidOperationException($"ICU normalization failed with error {error}.") : new string(destination, 0, length);
        }
    }
}
