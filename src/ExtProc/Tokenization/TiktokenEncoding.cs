using System.ComponentModel;
using AiSidecar.Configuration;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>The tiktoken encodings whose data ships with the server (Microsoft.ML.Tokenizers data packages).</summary>
[TypeConverter(typeof(ConfigEnumConverter<TiktokenEncoding>))]
internal enum TiktokenEncoding
{
    /// <summary><c>o200k_base</c>: GPT-4o, GPT-4.1, o-series.</summary>
    [ConfigName("o200k_base")]
    O200kBase,

    /// <summary><c>cl100k_base</c>: GPT-4, GPT-3.5.</summary>
    [ConfigName("cl100k_base")]
    Cl100kBase,
}
