using Envoy.Service.ExtProc.V3;

namespace AiSidecar.ExtProc.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void BodyMutation_ClearBodyFlag_UsesEnvoyFieldNumber()
    {
        Assert.Equal(2, BodyMutation.ClearBodyFlagFieldNumber);
    }
}
