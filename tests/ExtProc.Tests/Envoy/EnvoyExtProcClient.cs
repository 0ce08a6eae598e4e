using Envoy.Service.ExtProc.V3;
using Grpc.Net.Client;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>
/// Drives an ext_proc server the way Envoy's ext_proc HTTP filter does (one gRPC stream per HTTP exchange, request
/// direction first, then the response direction only if the request was forwarded) and reports what Envoy would do.
/// </summary>
/// <remarks>
/// Simplifications: the upstream never answers before the request body is done, and a STREAMED body's chunks all
/// arrive together after the headers answer (or with the headers, see <see cref="BodyArrival"/>).
/// </remarks>
public sealed class EnvoyExtProcClient(GrpcChannel channel, EnvoyFilterConfig? config = null)
{
    private readonly ExternalProcessor.ExternalProcessorClient _client = new(channel);

    public EnvoyFilterConfig Config { get; } = config ?? new EnvoyFilterConfig();

    public EnvoyExtProcClient With(EnvoyFilterConfig config) => new(channel, config);

    public async Task<ExchangeResult> RunAsync(HttpExchange exchange, CancellationToken cancellationToken = default)
    {
        Config.Validate();
        await using var stream = new ExtProcStream(_client, cancellationToken);
        var context = new ExchangeContext(Config, stream, EnvoyHeaders.Request(exchange.Request, Config));
        var request = new DirectionRunner(
            context, isRequest: true, context.RequestHeaders.Clone(), exchange.Request.BodyChunks, exchange.Request.Trailers?.Clone());
        DirectionRunner? response = null;
        ForwardedRequest? forwarded = null;
        LocalReply? localReply = null;
        DownstreamResponse downstream;
        try
        {
            await request.RunAsync();
            forwarded = new ForwardedRequest
            {
                Headers = request.Headers,
                Body = request.Body,
                Trailers = request.Trailers,
                RouteCacheCleared = request.RouteCacheCleared,
            };
            var upstream = exchange.Upstream(forwarded);
            response = new DirectionRunner(context, isRequest: false, EnvoyHeaders.Response(upstream, Config), upstream.BodyChunks, upstream.Trailers?.Clone());
            await response.RunAsync();
            downstream = EnvoyHeaders.Downstream(response, reset: false);
        }
        catch (LocalReplyException e)
        {
            localReply = e.Reply;
            downstream = e.DownstreamReset
                ? EnvoyHeaders.Downstream(response!, reset: true)
                : new DownstreamResponse { Status = e.Reply.Status, Headers = e.Reply.Headers, Body = e.Reply.Body };
        }

        await CloseAsync(stream);
        return new ExchangeResult
        {
            Response = downstream,
            LocalReply = localReply,
            Forwarded = forwarded,
            Transcript = stream.Transcript,
            ServerStatus = stream.ServerStatus,
            DynamicMetadata = context.DynamicMetadata,
        };
    }

    private Task CloseAsync(ExtProcStream stream)
    {
        if (Config.GracefulClose)
        {
            return stream.CloseAsync(halfCloseFirst: true, Config.SafetyTimeout);
        }

        // Observability mode defers the close; otherwise Envoy half-closes and resets at once.
        return Config.ObservabilityMode
            ? stream.CloseAsync(halfCloseFirst: false, Config.DeferredCloseTimeout)
            : stream.CloseAsync(halfCloseFirst: true, TimeSpan.Zero);
    }
}
