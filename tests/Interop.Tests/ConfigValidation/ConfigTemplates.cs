namespace AiSidecar.Interop.Tests.ConfigValidation;

/// <summary>Small valid configs that the negative tests break one token at a time.</summary>
internal static class ConfigTemplates
{
    public const string Bootstrap = """
        admin:
          address:
            socket_address: { address: 127.0.0.1, port_value: 9901 }
        static_resources:
          listeners:
            - name: ingress
              address:
                socket_address: { address: 0.0.0.0, port_value: 10000 }
              filter_chains:
                - filters:
                    - name: envoy.filters.network.http_connection_manager
                      typed_config:
                        "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                        stat_prefix: ingress
                        route_config:
                          virtual_hosts:
                            - name: all
                              domains: ["*"]
                              routes:
                                - match: { prefix: / }
                                  route: { cluster: extproc }
                        http_filters:
                          - name: envoy.filters.http.ext_proc
                            typed_config:
                              "@type": type.googleapis.com/envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor
                              grpc_service:
                                envoy_grpc: { cluster_name: extproc, authority: extproc }
                              message_timeout: 1s
                              processing_mode: { request_header_mode: SEND, request_body_mode: BUFFERED }
                          - name: envoy.filters.http.router
                            typed_config:
                              "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
            - name: extproc
              type: STRICT_DNS
              load_assignment:
                cluster_name: extproc
                endpoints:
                  - lb_endpoints:
                      - endpoint:
                          address:
                            socket_address: { address: extproc, port_value: 50051 }
        """;

    public const string EnvoyFilter = """
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata: { name: test, namespace: istio-system }
        spec:
          configPatches:
            - applyTo: HTTP_FILTER
              match:
                context: SIDECAR_OUTBOUND
                listener:
                  filterChain:
                    filter:
                      name: envoy.filters.network.http_connection_manager
                      subFilter: { name: envoy.filters.http.router }
              patch:
                operation: INSERT_BEFORE
                value:
                  name: envoy.filters.http.ext_proc
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor
                    grpc_service:
                      envoy_grpc: { cluster_name: "outbound|50051||x.y.svc.cluster.local" }
                    processing_mode: { request_body_mode: BUFFERED }
            - applyTo: LISTENER
              match: { context: SIDECAR_OUTBOUND }
              patch:
                operation: MERGE
                value: { per_connection_buffer_limit_bytes: 16777216 }
        """;
}
