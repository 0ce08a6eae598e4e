using Google.Protobuf.Reflection;

namespace AiSidecar.Interop.Tests.WireCompatibility;

/// <summary>Our hand-written protos against Envoy's own (from @grpc/grpc-js-xds), descriptor by descriptor.</summary>
public sealed class WireCompatibilityTests
{
    [Fact]
    public void Compare_OurProtosWithEnvoys_NoMismatches()
    {
        var diff = SchemaComparer.Compare(Schemas.Envoy(), Schemas.Ours());

        Assert.True(diff.Mismatches.Count == 0, string.Join('\n', diff.Mismatches));
    }

    [Fact]
    public void Compare_OurProtosWithEnvoys_AdditionsAreExactlyTheKnownNewerOnes()
    {
        var diff = SchemaComparer.Compare(Schemas.Envoy(), Schemas.Ours());

        Assert.Equal(KnownAdditions.All.Order(StringComparer.Ordinal), diff.Additions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Compare_OurProtosWithEnvoys_ComparesEveryFieldOfEnvoysExtProcService()
    {
        var envoy = Schemas.Envoy();
        var service = envoy.File.Single(f => f.Name == "envoy/service/ext_proc/v3/external_processor.proto");

        var diff = SchemaComparer.Compare(envoy, Schemas.Ours());

        Assert.Equal(4, Schemas.Ours().Count);
        Assert.True(diff.ComparedFields >= CountFields(service.MessageType), $"compared {diff.ComparedFields}");
    }

    [Theory]
    [InlineData("number")]
    [InlineData("json name")]
    [InlineData("type")]
    [InlineData("oneof")]
    [InlineData("enum value")]
    public void Compare_EnvoySchemaAltered_ReportsMismatch(string alteration)
    {
        var envoy = Schemas.Envoy();
        var file = envoy.File.Single(f => f.Name == "envoy/service/ext_proc/v3/external_processor.proto");
        var common = file.MessageType.Single(m => m.Name == "CommonResponse");
        var clearRouteCache = common.Field.Single(f => f.Name == "clear_route_cache");
        switch (alteration)
        {
            case "number": clearRouteCache.Number = 15; break;
            case "json name": clearRouteCache.JsonName = "clear_route_cache"; break;
            case "type": clearRouteCache.Type = FieldDescriptorProto.Types.Type.Int32; break;
            case "oneof": clearRouteCache.OneofIndex = AddOneof(common); break;
            default: common.EnumType.Single().Value.Single(v => v.Name == "CONTINUE_AND_REPLACE").Number = 7; break;
        }

        var diff = SchemaComparer.Compare(envoy, Schemas.Ours());

        Assert.Contains(diff.Mismatches, m => m.Contains("CommonResponse", StringComparison.Ordinal));
    }

    private static int AddOneof(DescriptorProto message)
    {
        message.OneofDecl.Add(new OneofDescriptorProto { Name = "altered" });
        return message.OneofDecl.Count - 1;
    }

    private static int CountFields(IEnumerable<DescriptorProto> messages) =>
        messages.Sum(m => m.Field.Count + CountFields(m.NestedType.Where(n => n.Options?.MapEntry != true)));
}
