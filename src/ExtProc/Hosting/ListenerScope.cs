namespace AiSidecar.ExtProc.Hosting;

/// <summary>Endpoint metadata that keeps an endpoint on one listener: gRPC services on the gRPC port, probes on HTTP.</summary>
internal sealed record ListenerScope(bool Grpc)
{
    /// <summary>Answers 404 for an endpoint reached through the other listener.</summary>
    public static void Enforce(WebApplication app, BoundEndpoints endpoints) =>
        app.Use((context, next) =>
        {
            var scope = context.GetEndpoint()?.Metadata.GetMetadata<ListenerScope>();
            var port = scope is null ? context.Connection.LocalPort : scope.Grpc ? endpoints.GrpcPort : endpoints.HttpPort;
            if (context.Connection.LocalPort != port)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
}
