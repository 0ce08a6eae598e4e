using Envoy.Service.ExtProc.V3;
using Google.Protobuf.Reflection;

namespace AiSidecar.Interop.Tests.WireCompatibility;

/// <summary>The two schemas under comparison: Envoy's descriptor set and our generated descriptors.</summary>
internal static class Schemas
{
    private static readonly Lazy<FileDescriptorSet> EnvoySet = new(() =>
        FileDescriptorSet.Parser.ParseFrom(File.ReadAllBytes(Infrastructure.RepoPaths.ExtProcDescriptorSet)));

    /// <summary>A fresh copy of Envoy's ext_proc closure, safe to mutate.</summary>
    public static FileDescriptorSet Envoy() => EnvoySet.Value.Clone();

    /// <summary>Our files under protos/envoy, reached from the service file.</summary>
    public static IReadOnlyList<FileDescriptor> Ours()
    {
        var found = new List<FileDescriptor>();
        var pending = new Stack<FileDescriptor>([ProcessingRequest.Descriptor.File]);
        while (pending.TryPop(out var file))
        {
            if (file.Name.StartsWith("envoy/", StringComparison.Ordinal) && !found.Contains(file))
            {
                found.Add(file);
                file.Dependencies.ToList().ForEach(pending.Push);
            }
        }

        return found;
    }
}
