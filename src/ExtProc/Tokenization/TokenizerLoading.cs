using System.ComponentModel;
using AiSidecar.Configuration;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>When tokenizer files are loaded.</summary>
[TypeConverter(typeof(ConfigEnumConverter<TokenizerLoading>))]
internal enum TokenizerLoading
{
    /// <summary>On the first request for a model that uses the file.</summary>
    [ConfigName("Lazy")]
    Lazy,

    /// <summary>At start, before the server reports ready.</summary>
    [ConfigName("Eager")]
    Eager,
}
