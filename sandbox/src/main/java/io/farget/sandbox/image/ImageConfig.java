package io.farget.sandbox.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a container takes from its image's config blob: environment, working folder, user, and the
 * platform it was built for. Entrypoint and Cmd are not used: a container's command is required.
 */
public record ImageConfig(List<String> env, String workingDir, String user, String architecture, String os) {
    public ImageConfig {
        env = List.copyOf(env);
    }

    public static ImageConfig parse(JsonNode blob) {
        JsonNode config = blob.path("config");
        List<String> env = new ArrayList<>();
        config.path("Env").forEach(e -> env.add(e.asText()));
        return new ImageConfig(env, config.path("WorkingDir").asText(""), config.path("User").asText(""),
                blob.path("architecture").asText(""), blob.path("os").asText(""));
    }

    /** OCI's architecture names for the JVM's {@code os.arch}. */
    public static String ociArchitecture(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> osArch;
        };
    }
}
