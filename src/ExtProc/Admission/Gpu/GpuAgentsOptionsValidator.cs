using AiSidecar.Configuration;

namespace AiSidecar.ExtProc.Admission.Gpu;

/// <summary>Checks what binding cannot in <c>admission.gpuAgents</c>: the addresses and service as <c>host:port</c>, and the backoff bounds.</summary>
internal static class GpuAgentsOptionsValidator
{
    private const string Root = $"{AdmissionOptions.SectionName}.gpuAgents";

    public static void Validate(GpuAgentsOptions options, ICollection<ConfigIssue> issues)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Addresses.Count; i++)
        {
            var text = options.Addresses[i];
            if (!ServiceAddress.TryParse(text, out var address))
            {
                issues.Add(new($"{Root}.addresses[{i}]", $"'{text}' is not host:port (a name or address, and a port from 1 to 65535; IPv6 in brackets)."));
            }
            else if (!seen.Add(address.Value.ToString()))
            {
                issues.Add(new($"{Root}.addresses[{i}]", $"{address} is listed twice."));
            }
        }

        if (options.Service.Length > 0 && !ServiceAddress.TryParse(options.Service, out _))
        {
            issues.Add(new($"{Root}.service", $"'{options.Service}' is not name:port (the headless Service's DNS name and the agents' gRPC port)."));
        }

        if (options.InitialBackoffMs > options.MaxBackoffMs)
        {
            issues.Add(new($"{Root}.initialBackoffMs", $"{options.InitialBackoffMs} must not exceed maxBackoffMs ({options.MaxBackoffMs})."));
        }
    }
}
