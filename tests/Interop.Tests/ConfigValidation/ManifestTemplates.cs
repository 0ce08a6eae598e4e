namespace AiSidecar.Interop.Tests.ConfigValidation;

/// <summary>Small valid manifests that the negative manifest tests break one token at a time.</summary>
internal static class ManifestTemplates
{
    public const string VirtualService = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: { name: test, namespace: ai-models }
        spec:
          hosts: [models.ai-models.svc.cluster.local]
          http:
            - name: chat-canary
              match:
                - headers:
                    x-ai-variant:
                      exact: canary
              route:
                - destination:
                    host: llm-chat.ai-models.svc.cluster.local
                    subset: canary
                    port: { number: 8000 }
        """;

    public const string DestinationRule = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: { name: test, namespace: ai-models }
        spec:
          host: llm-chat.ai-models.svc.cluster.local
          trafficPolicy:
            outlierDetection:
              consecutive5xxErrors: 3
              interval: 10s
          subsets:
            - name: canary
              labels: { version: v2 }
        """;

    public const string AnalysisTemplate = """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: { name: test, namespace: ai-models }
        spec:
          args:
            - name: model
          metrics:
            - name: error-rate
              interval: 1m
              failureLimit: 1
              successCondition: result[0] <= 0.01
              provider:
                prometheus:
                  address: http://prometheus.monitoring.svc.cluster.local:9090
                  query: sum(rate(extproc_variant_requests_total{model="{{args.model}}"}[5m]))
        """;

    public const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: test, namespace: ai-sidecar }
        spec:
          replicas: 2
          selector:
            matchLabels: { app.kubernetes.io/name: test }
          template:
            metadata:
              labels: { app.kubernetes.io/name: test }
            spec:
              containers:
                - name: extproc
                  image: ai-sidecar/extproc:0.1.0
                  imagePullPolicy: IfNotPresent
                  env:
                    - name: DOTNET_gcServer
                      value: "1"
                  ports:
                    - name: grpc
                      containerPort: 50051
                  volumeMounts:
                    - name: tmp
                      mountPath: /tmp
              volumes:
                - name: tmp
                  emptyDir: { sizeLimit: 64Mi }
        """;
}
