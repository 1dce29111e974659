package io.farget.sandbox.runc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * The OCI process of a command run on a terminal in a running container ({@code runc exec --process}):
 * the container's own process (user, environment, working folder, capabilities, limits) with the
 * command's argv, a terminal, and its initial size. The size must be in the process itself: set after
 * the start, a quick command such as {@code stty size} could already have read the kernel's 0x0.
 */
public final class ExecProcessSpec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExecProcessSpec() {}

    /**
     * @param containerConfig the container's config.json
     * @param rows            0 with {@code cols} 0: leave the size to the kernel
     */
    public static String of(String containerConfig, List<String> command, int rows, int cols) throws IOException {
        JsonNode config = JSON.readTree(containerConfig);
        if (!config.path("process").isObject()) {
            throw new IOException("the container's config.json has no process");
        }
        ObjectNode process = ((ObjectNode) config.get("process")).deepCopy();
        ArrayNode args = process.putArray("args");
        command.forEach(args::add);
        process.put("terminal", true);
        if (rows > 0 && cols > 0) {
            process.putObject("consoleSize").put("height", rows).put("width", cols);
        } else {
            process.remove("consoleSize");
        }
        ArrayNode env = process.has("env") && process.get("env").isArray() ? (ArrayNode) process.get("env") : process.putArray("env");
        boolean hasTerm = false;
        for (JsonNode e : env) {
            hasTerm |= e.asText().startsWith("TERM=");
        }
        if (!hasTerm) {
            env.add("TERM=xterm"); // what full-screen programs need to draw; kubectl's containers get it from the image
        }
        return JSON.writeValueAsString(process);
    }
}
