using AiSidecar.ExtProc.Admission.Priority;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;

namespace AiSidecar.ExtProc.Tests.Admission.Priority;

public sealed class PriorityResolverTests
{
    private const string Peer = "spiffe://cluster.local/ns/batch/sa/scheduler";
    private const string Xfcc = "By=spiffe://cluster.local/ns/llm/sa/gateway;Hash=abc;Subject=\"\";URI=" + Peer;

    // sha256("sk-gold") written out, so the test also pins the hash the docs tell operators to compute.
    private static readonly string GoldHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("sk-gold"u8));

    private static PriorityResolver Resolver() => new(new PriorityOptions
    {
        TrustedCallers = ["spiffe://cluster.local/ns/batch/sa/*"],
        TenantHeader = "x-tenant",
        Tenants = new() { ["acme"] = RequestPriority.Critical },
        ApiKeys = new() { [GoldHash] = RequestPriority.Sheddable },
        Default = RequestPriority.Standard,
    });

    private static RequestHead Head(string? authorization = null, params (string Name, string Value)[] headers) => new()
    {
        Captured = new CapturedHeaders(headers.Select(h => KeyValuePair.Create(h.Name, h.Value))),
        ApiKeyHash = ApiKeyHash.Of(authorization),
    };

    [Theory]
    [InlineData("critical", nameof(RequestPriority.Critical))]
    [InlineData(" Sheddable ", nameof(RequestPriority.Sheddable))]
    [InlineData("STANDARD", nameof(RequestPriority.Standard))]
    public void Resolve_TrustedCallerSendsPriority_UsesTheHeader(string value, string expectedName)
    {
        var expected = Enum.Parse<RequestPriority>(expectedName);
        var resolution = Resolver().Resolve(Head(null, ("x-forwarded-client-cert", Xfcc), ("x-priority", value)));

        Assert.Equal(new PriorityResolution(expected, PrioritySource.Header), resolution);
    }

    [Theory]
    [InlineData("URI=spiffe://cluster.local/ns/web/sa/frontend")]
    [InlineData("By=" + Peer + ";URI=spiffe://cluster.local/ns/web/sa/frontend")]
    [InlineData("URI=" + Peer + ",URI=spiffe://cluster.local/ns/web/sa/frontend")]
    [InlineData("URI=\"" + Peer)]
    [InlineData("URI=" + Peer + ";Subject")]
    [InlineData("")]
    public void Resolve_UntrustedSpoofedOrMalformedIdentity_IgnoresTheHeaderAsUntrusted(string xfcc)
    {
        var resolution = Resolver().Resolve(Head(null, ("x-forwarded-client-cert", xfcc), ("x-priority", "critical")));

        Assert.Equal(new PriorityResolution(RequestPriority.Standard, PrioritySource.Default, IgnoredPriority.Untrusted), resolution);
    }

    [Fact]
    public void Resolve_PriorityWithoutIdentity_IgnoresItAsUntrustedAndFallsToTheTenantMap()
    {
        var resolution = Resolver().Resolve(Head(null, ("x-priority", "critical"), ("x-tenant", "acme")));

        Assert.Equal(new PriorityResolution(RequestPriority.Critical, PrioritySource.Tenant, IgnoredPriority.Untrusted), resolution);
    }

    [Fact]
    public void Resolve_TrustedCallerSendsUnknownClass_IgnoresItAsInvalid()
    {
        var resolution = Resolver().Resolve(Head(null, ("x-forwarded-client-cert", Xfcc), ("x-priority", "urgent")));

        Assert.Equal(new PriorityResolution(RequestPriority.Standard, PrioritySource.Default, IgnoredPriority.Invalid), resolution);
    }

    [Fact]
    public void Resolve_QuotedUriAmongSeveralElements_ReadsTheLastElementsUris()
    {
        var xfcc = "URI=spiffe://cluster.local/ns/web/sa/frontend;Subject=\"CN=a,O=b\",Subject=\"CN=x;y\";URI=spiffe://other/x;URI=\"" + Peer + "\"";

        var resolution = Resolver().Resolve(Head(null, ("x-forwarded-client-cert", xfcc), ("x-priority", "sheddable")));

        Assert.Equal(new PriorityResolution(RequestPriority.Sheddable, PrioritySource.Header), resolution);
    }

    [Fact]
    public void Resolve_TenantHeader_UsesTheTenantMap()
    {
        Assert.Equal(new PriorityResolution(RequestPriority.Critical, PrioritySource.Tenant), Resolver().Resolve(Head(null, ("x-tenant", "acme"))));
        Assert.Equal(new PriorityResolution(RequestPriority.Standard, PrioritySource.Default), Resolver().Resolve(Head(null, ("x-tenant", "ACME"))));
    }

    [Theory]
    [InlineData("Bearer sk-gold", "Sheddable", "ApiKey")]
    [InlineData("bearer   sk-gold ", "Sheddable", "ApiKey")]
    [InlineData("Bearer sk-other", "Standard", "Default")]
    [InlineData("Basic sk-gold", "Standard", "Default")]
    [InlineData("Bearer ", "Standard", "Default")]
    public void Resolve_ApiKey_LooksUpItsSha256(string authorization, string expected, string source)
    {
        Assert.Equal(new PriorityResolution(Enum.Parse<RequestPriority>(expected), Enum.Parse<PrioritySource>(source)), Resolver().Resolve(Head(authorization)));
    }

    [Fact]
    public void Resolve_NothingMatches_UsesTheDefault()
    {
        var resolver = new PriorityResolver(new PriorityOptions { Default = RequestPriority.Sheddable });

        Assert.Equal(new PriorityResolution(RequestPriority.Sheddable, PrioritySource.Default), resolver.Resolve(RequestHead.None));
    }

    [Fact]
    public void CapturedHeaders_OnlyWhatTheSettingsRead_AndTheKeyOnlyAsItsHash()
    {
        Assert.Equal(["x-priority"], PriorityResolver.Defaults.CapturedHeaders);
        Assert.False(PriorityResolver.Defaults.HashesApiKeys);
        Assert.Equal(["x-priority", "x-forwarded-client-cert", "x-tenant"], Resolver().CapturedHeaders);
        Assert.True(Resolver().HashesApiKeys);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeyHash.Of("Bearer abc"));
    }
}
