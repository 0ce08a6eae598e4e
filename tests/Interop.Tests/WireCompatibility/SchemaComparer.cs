using Google.Protobuf.Reflection;

namespace AiSidecar.Interop.Tests.WireCompatibility;

/// <summary>Compares Envoy's descriptors with ours, file by file, message by message.</summary>
internal static class SchemaComparer
{
    // We declare only the messages of base.proto that ext_proc uses; every other file completely.
    private static readonly HashSet<string> PartialFiles = ["envoy/config/core/v3/base.proto"];

    public static SchemaDiff Compare(FileDescriptorSet envoy, IEnumerable<FileDescriptor> ours)
    {
        var diff = new SchemaDiff();
        var envoyFiles = envoy.File.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var file in ours)
        {
            if (!envoyFiles.TryGetValue(file.Name, out var envoyFile))
            {
                diff.Mismatches.Add($"file {file.Name} is not in Envoy's API");
                continue;
            }

            var partial = PartialFiles.Contains(file.Name);
            CompareMessages(envoyFile.Package, envoyFile.MessageType, file.MessageTypes, partial, diff);
            EnumComparer.Compare(envoyFile.Package, envoyFile.EnumType, file.EnumTypes, partial, diff);
            ServiceComparer.Compare(envoyFile, file, diff);
        }

        return diff;
    }

    private static void CompareMessages(
        string scope, IEnumerable<DescriptorProto> envoy, IEnumerable<MessageDescriptor> ours, bool partial, SchemaDiff diff)
    {
        var byName = ours.ToDictionary(m => m.Name, StringComparer.Ordinal);
        foreach (var message in envoy.Where(m => m.Options?.MapEntry != true))
        {
            var fullName = $"{scope}.{message.Name}";
            if (!byName.Remove(message.Name, out var our))
            {
                if (!partial)
                {
                    diff.Mismatches.Add($"message {fullName} is missing");
                }

                continue;
            }

            FieldComparer.Compare(message, our, diff);
            CompareMessages(fullName, message.NestedType, our.NestedTypes, partial: false, diff);
            EnumComparer.Compare(fullName, message.EnumType, our.EnumTypes, partial: false, diff);
        }

        diff.Additions.AddRange(byName.Values.Where(m => m.GetOptions()?.MapEntry != true).Select(m => $"message {m.FullName}"));
    }
}
