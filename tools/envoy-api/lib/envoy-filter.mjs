// Checks each patch value of an Istio EnvoyFilter against the Envoy type its applyTo implies.
import { checkMessage } from "./strict-json.mjs";

// istio/api networking/v1alpha3/envoy_filter.proto: ApplyTo -> the Envoy message a patch value is.
const applyToTypes = {
  LISTENER: "envoy.config.listener.v3.Listener",
  FILTER_CHAIN: "envoy.config.listener.v3.FilterChain",
  NETWORK_FILTER: "envoy.config.listener.v3.Filter",
  HTTP_FILTER: "envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter",
  ROUTE_CONFIGURATION: "envoy.config.route.v3.RouteConfiguration",
  VIRTUAL_HOST: "envoy.config.route.v3.VirtualHost",
  HTTP_ROUTE: "envoy.config.route.v3.Route",
  CLUSTER: "envoy.config.cluster.v3.Cluster",
  EXTENSION_CONFIG: "envoy.config.core.v3.TypedExtensionConfig",
  BOOTSTRAP: "envoy.config.bootstrap.v3.Bootstrap",
  LISTENER_FILTER: "envoy.config.listener.v3.ListenerFilter",
};
const operations = ["MERGE", "ADD", "REMOVE", "INSERT_BEFORE", "INSERT_AFTER", "INSERT_FIRST", "REPLACE"];
const contexts = [undefined, "ANY", "SIDECAR_INBOUND", "SIDECAR_OUTBOUND", "GATEWAY"];

/** Returns the number of patch values checked; throws on the first problem. */
export function checkEnvoyFilter(registry, doc, where) {
  const patches = doc.spec?.configPatches;
  if (!Array.isArray(patches) || patches.length === 0) {
    throw new Error(`${where}: spec.configPatches must be a non-empty list`);
  }
  patches.forEach((p, i) => {
    const at = `${where} configPatches[${i}]`;
    const typeName = applyToTypes[p.applyTo];
    if (!typeName) {
      throw new Error(`${at}: unknown applyTo ${JSON.stringify(p.applyTo)}`);
    }
    if (!contexts.includes(p.match?.context)) {
      throw new Error(`${at}: unknown match.context ${JSON.stringify(p.match.context)}`);
    }
    const op = p.patch?.operation;
    if (!operations.includes(op)) {
      throw new Error(`${at}: unknown patch.operation ${JSON.stringify(op)}`);
    }
    if (op === "REMOVE") {
      return;
    }
    if (p.patch.value === undefined || p.patch.value === null) {
      throw new Error(`${at}: ${op} needs patch.value`);
    }
    // A MERGE value is a partial message of the same type: every field it names must exist,
    // and a typed_config in it is still a whole message of its @type.
    checkMessage(registry, typeName, p.patch.value, `${at} (${p.applyTo} ${op})`);
  });
  return patches.length;
}
