using Google.Protobuf.Reflection;

namespace AiSidecar.Interop.Tests.WireCompatibility;

/// <summary>Compares Envoy's enums with ours: every Envoy value must exist with the same number and name.</summary>
internal static class EnumComparer
{
    public static void Compare(
        string scope, IEnumerable<EnumDescriptorProto> envoy, IEnumerable<EnumDescriptor> ours, bool partial, SchemaDiff diff)
    {
        var byName = ours.ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var envoyEnum in envoy)
        {
            var fullName = $"{scope}.{envoyEnum.Name}";
            if (!byName.Remove(envoyEnum.Name, out var our))
            {
                if (!partial)
                {
                    diff.Mismatches.Add($"enum {fullName} is missing");
                }

                continue;
            }

            foreach (var value in envoyEnum.Value)
            {
                var ourName = our.FindValueByNumber(value.Number)?.Name;
                if (ourName != value.Name)
                {
                    diff.Mismatches.Add($"enum value {fullName}.{value.Name} = {value.Number}: ours is {ourName ?? "missing"}");
                }
            }

            diff.Additions.AddRange(our.Values
                .Where(v => envoyEnum.Value.All(e => e.Number != v.Number))
                .Select(v => $"enum value {fullName}.{v.Name} = {v.Number}"));
        }

        diff.Additions.AddRange(byName.Values.Select(e => $"enum {e.FullName}"));
    }
}
