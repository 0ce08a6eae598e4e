using Google.Protobuf.Reflection;

namespace AiSidecar.Interop.Tests.WireCompatibility;

/// <summary>Compares Envoy's services (the ExternalProcessor RPC) with ours.</summary>
internal static class ServiceComparer
{
    public static void Compare(FileDescriptorProto envoy, FileDescriptor ours, SchemaDiff diff)
    {
        foreach (var service in envoy.Service)
        {
            var fullName = $"{envoy.Package}.{service.Name}";
            var our = ours.Services.FirstOrDefault(s => s.Name == service.Name);
            if (our is null)
            {
                diff.Mismatches.Add($"service {fullName} is missing");
                continue;
            }

            foreach (var method in service.Method)
            {
                var ourMethod = our.FindMethodByName(method.Name);
                var expected = Signature(method.InputType.TrimStart('.'), method.OutputType.TrimStart('.'), method.ClientStreaming, method.ServerStreaming);
                var actual = ourMethod is null
                    ? "missing"
                    : Signature(ourMethod.InputType.FullName, ourMethod.OutputType.FullName, ourMethod.IsClientStreaming, ourMethod.IsServerStreaming);
                if (expected != actual)
                {
                    diff.Mismatches.Add($"method {fullName}.{method.Name}: ours is {actual}, Envoy's {expected}");
                }
            }
        }
    }

    private static string Signature(string input, string output, bool clientStreaming, bool serverStreaming) =>
        $"({(clientStreaming ? "stream " : string.Empty)}{input}) returns ({(serverStreaming ? "stream " : string.Empty)}{output})";
}
