package io.farget.sandbox.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The network configurations handed to each plugin on stdin, as a runtime executing the conflist
 * {@code [bridge, portmap]} would: the bridge (gateway, masquerade, addresses from host-local),
 * then portmap with the pod's host ports and the bridge's result as {@code prevResult}. Pure.
 */
public final class CniConfigs {
    /** The newest version the Debian 1.1.1 plugins speak ({@code bridge} prints its list without arguments). */
    public static final String CNI_VERSION = "1.0.0";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private CniConfigs() {}

    public static ObjectNode bridge(CniSettings settings) {
        ObjectNode conf = header("bridge");
        conf.put("bridge", settings.bridge());
        conf.put("isGateway", true);
        conf.put("ipMasq", true); // pods reach out through the host's address, not their own
        conf.put("hairpinMode", true); // a pod reaches itself through its own host port
        ObjectNode ipam = conf.putObject("ipam");
        ipam.put("type", "host-local");
        ipam.put("dataDir", settings.stateDir().resolve("networks").toString());
        ipam.putArray("ranges").addArray().addObject().put("subnet", settings.subnet());
        ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        return conf;
    }

    /** {@code prevResult}: the bridge's ADD result (ADD), or the same stored one (DEL); may be null on DEL. */
    public static ObjectNode portmap(CniSettings settings, List<HostPort> ports, JsonNode prevResult) {
        ObjectNode conf = header("portmap");
        conf.putObject("capabilities").put("portMappings", true);
        conf.put("snat", true);
        ArrayNode mappings = conf.putObject("runtimeConfig").putArray("portMappings");
        for (HostPort port : ports) {
            ObjectNode m = mappings.addObject();
            m.put("hostPort", port.hostPort());
            m.put("containerPort", port.containerPort());
            m.put("protocol", port.protocol());
            if (!"0.0.0.0".equals(settings.hostPortAddress())) {
                m.put("hostIP", settings.hostPortAddress());
            }
        }
        if (prevResult != null) {
            conf.set("prevResult", prevResult);
        }
        return conf;
    }

    /** The pod's IPv4 address (without prefix length) from an ADD result, or null if it has none. */
    public static String firstAddress(JsonNode result) {
        for (JsonNode ip : result.path("ips")) {
            String cidr = ip.path("address").asText("");
            int slash = cidr.indexOf('/');
            if (slash > 0 && cidr.indexOf(':') < 0) {
                return cidr.substring(0, slash);
            }
        }
        return null;
    }

    private static ObjectNode header(String type) {
        ObjectNode conf = JSON.objectNode();
        conf.put("cniVersion", CNI_VERSION);
        conf.put("name", CniSettings.NETWORK_NAME);
        conf.put("type", type);
        return conf;
    }
}
