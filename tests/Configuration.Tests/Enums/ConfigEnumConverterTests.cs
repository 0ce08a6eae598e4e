using System.ComponentModel;
using AiSidecar.Configuration.Tests.Infrastructure;
using AiSidecar.Configuration.Tests.Samples;
using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration.Tests.Enums;

public sealed class ConfigEnumConverterTests
{
    [Theory]
    [InlineData("o200k_base", EncodingName.O200kBase)]
    [InlineData("CL100K_BASE", EncodingName.Cl100kBase)]
    [InlineData("Cl100kBase", EncodingName.Cl100kBase)]
    public void Bind_ConfigSpellingOrMemberName_BinderConvertsThroughTheConverter(string value, EncodingName expected)
    {
        var configuration = Configs.Memory(("tokenization:encoding", value), ("tokenization:bodyMode", "buffered_partial"));

        var options = configuration.GetSection("tokenization").Get<TokenizationSample>()!;

        Assert.Equal(expected, options.Encoding);
        Assert.Equal(BodyMode.BufferedPartial, options.BodyMode);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("o200k")]
    [InlineData("")]
    public void ConvertFrom_NotASpelling_ThrowsNamingAllowedValues(string value)
    {
        var converter = TypeDescriptor.GetConverter(typeof(EncodingName));

        var error = Assert.Throws<FormatException>(() => converter.ConvertFromInvariantString(value));

        Assert.Equal($"'{value}' is not one of o200k_base, cl100k_base.", error.Message);
    }

    [Fact]
    public void ConvertTo_String_GivesTheConfigSpelling()
    {
        var converter = TypeDescriptor.GetConverter(typeof(BodyMode));

        Assert.IsType<ConfigEnumConverter<BodyMode>>(converter);
        Assert.Equal("BUFFERED_PARTIAL", converter.ConvertToInvariantString(BodyMode.BufferedPartial));
        Assert.Equal("BUFFERED_PARTIAL", ConfigEnumNames.ToConfigName(BodyMode.BufferedPartial));
        Assert.Equal([BodyMode.None, BodyMode.Buffered, BodyMode.BufferedPartial], converter.GetStandardValues()!.Cast<BodyMode>());
    }

    [Fact]
    public void Check_ValueNotAllowed_ListsConfigSpellings()
    {
        var configuration = Configs.Yaml("tokenization:\n  encoding: o200k\n  bodyMode: BUFFERD\n  models:\n    - match: x\n      encoding: p50k_base\n");

        var issues = ShapeChecks.Of<TokenizationSample>(configuration, "tokenization");

        Assert.Equal(
            [
                new ConfigIssue("tokenization.bodyMode", "expected one of NONE, BUFFERED, BUFFERED_PARTIAL; found 'BUFFERD' (did you mean 'BUFFERED'?)"),
                new ConfigIssue("tokenization.encoding", "expected one of o200k_base, cl100k_base; found 'o200k'"),
                new ConfigIssue("tokenization.models[0].encoding", "expected one of o200k_base, cl100k_base; found 'p50k_base' (did you mean 'o200k_base'?)"),
            ],
            issues);
    }

    [Fact]
    public void TryParse_SpellingsAndNumbers_AcceptsOnlyNames()
    {
        Assert.True(ConfigEnumNames.TryParse<BodyMode>(" buffered ", out var mode));
        Assert.Equal(BodyMode.Buffered, mode);
        Assert.False(ConfigEnumNames.TryParse<BodyMode>("2", out _));
        Assert.Equal(["NONE", "BUFFERED", "BUFFERED_PARTIAL"], ConfigEnumNames.Names(typeof(BodyMode)));
    }
}
