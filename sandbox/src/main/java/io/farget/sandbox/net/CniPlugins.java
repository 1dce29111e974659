package io.farget.sandbox.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Calls one CNI plugin by hand, as the CNI spec describes: the command and the container in
 * environment variables, the network configuration on stdin, the result (or an error object) on stdout.
 */
final class CniPlugins {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path pluginDir;
    private final HostNamespace host;

    CniPlugins(Path pluginDir, HostNamespace host) {
        this.pluginDir = pluginDir;
        this.host = host;
    }

    /**
     * @param netns the pod's network namespace file; empty on a DEL whose namespace is gone (the
     *     plugins then release what they can: addresses, port forwards)
     * @return the plugin's result (ADD), or an empty object
     */
    JsonNode call(String command, String containerId, String netns, JsonNode config) throws CniException {
        String type = config.path("type").asText();
        Map<String, String> env = Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", containerId, "CNI_NETNS", netns,
                "CNI_IFNAME", "eth0", "CNI_PATH", pluginDir.toString());
        HostNamespace.Result result;
        try {
            result = host.run(List.of(pluginDir.resolve(type).toString()), env, MAPPER.writeValueAsString(config));
        } catch (IOException e) {
            throw new CniException("cannot run the CNI plugin " + type + ": " + e.getMessage(), e);
        }
        JsonNode out = parse(result.stdout());
        if (!result.ok()) {
            String msg = out.path("msg").asText(result.stderr().strip());
            String details = out.path("details").asText("");
            throw new CniException("CNI " + type + " " + command + " failed: " + msg + (details.isEmpty() ? "" : " (" + details + ")"));
        }
        return out;
    }

    private static JsonNode parse(String stdout) {
        if (stdout.isBlank()) {
            return MAPPER.createObjectNode();
        }
        try {
            return MAPPER.readTree(stdout);
        } catch (IOException e) {
            return MAPPER.createObjectNode().put("msg", stdout.strip());
        }
    }
}
