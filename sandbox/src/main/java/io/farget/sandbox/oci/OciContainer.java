package io.farget.sandbox.oci;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one container of a pod needs from its OCI spec, already decided: the process, its limits and
 * where its cgroup goes.
 *
 * @param hostname the pod's name; null for a container that joins another's uts namespace (runc
 *     renames the whole pod when a joined container sets it)
 * @param env the full environment, PATH included, in order
 * @param cpuMillis CPU limit in millicores (1000 = one core)
 * @param cgroupsPath absolute, e.g. {@code /farget/<podId>}
 */
public record OciContainer(String hostname, List<String> args, Map<String, String> env, String cwd,
                           long cpuMillis, long memoryBytes, long pidsLimit, String cgroupsPath) {
    public OciContainer {
        args = List.copyOf(args);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(cgroupsPath, "cgroupsPath");
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a container needs a command");
        }
    }
}
