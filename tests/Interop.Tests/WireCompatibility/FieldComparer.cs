using Google.Protobuf.Reflection;

namespace AiSidecar.Interop.Tests.WireCompatibility;

/// <summary>Compares the fields of one Envoy message with ours: number, name, JSON name, type, shape, oneof.</summary>
internal static class FieldComparer
{
    // Envoy's name -> ours. BodyMutation.clear_body clashes with the C# ClearBody() method (CS0102).
    private static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal)
    {
        ["envoy.service.ext_proc.v3.BodyMutation.clear_body"] = "clear_body_flag",
    };

    public static void Compare(DescriptorProto envoy, MessageDescriptor ours, SchemaDiff diff)
    {
        foreach (var field in envoy.Field)
        {
            var id = $"field {ours.FullName}.{field.Name} = {field.Number}";
            var our = ours.FindFieldByNumber(field.Number);
            if (our is null)
            {
                diff.Mismatches.Add($"{id} is missing");
                continue;
            }

            diff.ComparedFields++;
            var expectedName = Renames.GetValueOrDefault($"{ours.FullName}.{field.Name}", field.Name);
            Check(diff, id, "name", expectedName, our.Name);
            Check(diff, id, "json name", field.JsonName, our.JsonName);
            Check(diff, id, "type", field.Type.ToString().ToUpperInvariant(), our.FieldType.ToString().ToUpperInvariant());
            Check(diff, id, "type name", field.TypeName.TrimStart('.'), TypeName(our));
            Check(diff, id, "repeated", field.Label == FieldDescriptorProto.Types.Label.Repeated, our.IsRepeated);
            Check(diff, id, "proto3 optional", field.Proto3Optional, our.ContainingOneof is not null && our.RealContainingOneof is null);
            var oneof = field.HasOneofIndex && !field.Proto3Optional ? envoy.OneofDecl[field.OneofIndex].Name : null;
            Check(diff, id, "oneof", oneof, our.RealContainingOneof?.Name);
            var entry = envoy.NestedType.FirstOrDefault(n => n.Options?.MapEntry == true && field.TypeName.EndsWith($".{n.Name}", StringComparison.Ordinal));
            Check(diff, id, "map", entry is not null, our.IsMap);
            if (entry is not null && our.IsMap)
            {
                Compare(entry, our.MessageType, diff);
            }
        }

        diff.Additions.AddRange(ours.Fields.InDeclarationOrder()
            .Where(f => envoy.Field.All(e => e.Number != f.FieldNumber))
            .Select(f => $"field {ours.FullName}.{f.Name} = {f.FieldNumber}"));
    }

    private static string TypeName(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Message or FieldType.Group => field.MessageType.FullName,
        FieldType.Enum => field.EnumType.FullName,
        _ => string.Empty,
    };

    private static void Check<T>(SchemaDiff diff, string id, string what, T envoy, T ours)
    {
        if (!EqualityComparer<T>.Default.Equals(envoy, ours))
        {
            diff.Mismatches.Add($"{id}: {what} is {ours} in ours, {envoy} in Envoy's");
        }
    }
}
