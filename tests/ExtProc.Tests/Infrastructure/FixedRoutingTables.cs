using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Routing.Reload;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>A routing table source that never reloads, compiled from options that must be valid.</summary>
internal sealed class FixedRoutingTables : IRoutingTableSource
{
    public FixedRoutingTables(RoutingOptions options)
    {
        options.ApplyDefaults();
        var errors = new RoutingOptionsValidator().Validate(null, options);
        if (errors.Failed)
        {
            throw new InvalidOperationException(errors.FailureMessage);
        }

        Current = RoutingTable.Compile(options, generation: 1);
    }

    public RoutingTable Current { get; }
}
