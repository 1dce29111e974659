package io.farget.cli.spec;

import io.farget.common.Quantities;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PortMapping;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.VolumeMount;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Reads one entry of {@code containers} or {@code initContainers}. */
final class ContainerSection {
    private static final Set<String> FIELDS = Set.of("name", "image", "command", "args", "env", "resources",
            "workingDir", "ports", "volumeMounts", "securityContext");
    private static final Set<String> FIELDS_NOT_YET = Set.of("livenessProbe", "readinessProbe", "startupProbe",
            "lifecycle", "imagePullPolicy", "envFrom", "stdin", "tty");
    private static final Set<String> RESOURCE_FIELDS = Set.of("cpu", "memory", "gpu", "gpuMilli", "ephemeralStorage", "extended");
    private static final Set<String> RESOURCE_FIELDS_NOT_YET = Set.of("requests", "limits");
    private static final Set<String> SECURITY_FIELDS = Set.of("runAsUser", "runAsGroup");
    private static final Set<String> SECURITY_FIELDS_NOT_YET = Set.of("privileged", "capabilities",
            "readOnlyRootFilesystem", "allowPrivilegeEscalation", "runAsNonRoot", "seccompProfile");

    private ContainerSection() {}

    /** A container as written, with the resources it asked for (null where it said nothing). */
    record Parsed(ContainerSpec spec, Long cpuMillis, Long memoryBytes) {
        ContainerSpec withDefaults(long defaultCpuMillis, long defaultMemoryBytes) {
            return spec.toBuilder().setResources(spec.getResources().toBuilder()
                    .setCpuMillis(cpuMillis != null ? cpuMillis : defaultCpuMillis)
                    .setMemoryBytes(memoryBytes != null ? memoryBytes : defaultMemoryBytes)).build();
        }
    }

    static Parsed read(SpecNode node) {
        node.requireFields(FIELDS, FIELDS_NOT_YET);
        ContainerSpec.Builder c = ContainerSpec.newBuilder()
                .setName(node.text("name"))
                .setImage(node.text("image"))
                .setWorkingDir(node.text("workingDir"));
        // Kubernetes' args are appended to the command; the wire carries one argv.
        if (node.has("command")) {
            c.addAllCommand(node.get("command").strings());
        }
        if (node.has("args")) {
            c.addAllCommand(node.get("args").strings());
        }
        if (node.has("env")) {
            c.putAllEnv(env(node.get("env")));
        }
        if (node.has("ports")) {
            for (SpecNode port : node.get("ports").list("ports")) {
                c.addPorts(port(port));
            }
        }
        if (node.has("volumeMounts")) {
            for (SpecNode mount : node.get("volumeMounts").list("volume mounts")) {
                c.addVolumeMounts(mount(mount));
            }
        }
        if (node.has("securityContext")) {
            c.setUser(user(node.get("securityContext")));
        }
        Long cpuMillis = null;
        Long memoryBytes = null;
        if (node.has("resources")) {
            SpecNode resources = node.get("resources").requireFields(RESOURCE_FIELDS, RESOURCE_FIELDS_NOT_YET);
            if (resources.has("cpu")) {
                cpuMillis = cpuMillis(resources.get("cpu"));
            }
            if (resources.has("memory")) {
                memoryBytes = memoryBytes(resources.get("memory"));
            }
            c.setResources(placementResources(resources));
        }
        return new Parsed(c.build(), cpuMillis, memoryBytes);
    }

    /** Accepts both a map ({@code {K: V}}) and Kubernetes' list form ({@code [{name: K, value: V}]}). */
    private static Map<String, String> env(SpecNode node) {
        if (node.node().isObject()) {
            return node.stringMap();
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (SpecNode entry : node.list("NAME: value pairs")) {
            entry.requireFields(Set.of("name", "value"), Set.of("valueFrom"));
            env.put(entry.text("name"), entry.text("value"));
        }
        return env;
    }

    private static PortMapping port(SpecNode node) {
        node.requireFields(Set.of("containerPort", "hostPort", "protocol"), Set.of("hostIP"));
        PortMapping.Builder port = PortMapping.newBuilder().setProtocol(node.text("protocol").toLowerCase(java.util.Locale.ROOT));
        if (node.has("containerPort")) {
            port.setContainerPort(node.get("containerPort").integer());
        }
        if (node.has("hostPort")) {
            port.setHostPort(node.get("hostPort").integer());
        }
        return port.build();
    }

    private static VolumeMount mount(SpecNode node) {
        node.requireFields(Set.of("name", "mountPath", "readOnly"), Set.of("subPath", "mountPropagation"));
        return VolumeMount.newBuilder()
                .setName(node.text("name"))
                .setMountPath(node.text("mountPath"))
                .setReadOnly(node.has("readOnly") && node.get("readOnly").bool())
                .build();
    }

    /** runAsUser and runAsGroup become the wire's "uid" or "uid:gid". */
    private static String user(SpecNode node) {
        node.requireFields(SECURITY_FIELDS, SECURITY_FIELDS_NOT_YET);
        if (!node.has("runAsUser")) {
            if (node.has("runAsGroup")) {
                throw node.get("runAsGroup").problem("needs runAsUser too");
            }
            return "";
        }
        String user = Integer.toString(node.get("runAsUser").integer());
        return node.has("runAsGroup") ? user + ":" + node.get("runAsGroup").integer() : user;
    }

    private static long cpuMillis(SpecNode node) {
        try {
            return Quantities.parseCpuMillis(node.scalar());
        } catch (IllegalArgumentException e) {
            throw node.problem(e.getMessage());
        }
    }

    private static long memoryBytes(SpecNode node) {
        try {
            return Quantities.parseBytes(node.scalar());
        } catch (IllegalArgumentException e) {
            throw node.problem(e.getMessage());
        }
    }

    /** GPUs (whole, or a share of one in milli), ephemeral disk and named extended resources. */
    private static Resources placementResources(SpecNode resources) {
        Resources.Builder r = Resources.newBuilder();
        if (resources.has("gpu")) {
            r.setGpu(resources.get("gpu").integer());
        }
        if (resources.has("gpuMilli")) {
            r.setGpuMilli(resources.get("gpuMilli").integer());
        }
        if (resources.has("ephemeralStorage")) {
            r.setEphemeralStorageBytes(memoryBytes(resources.get("ephemeralStorage")));
        }
        if (resources.has("extended")) {
            SpecNode extended = resources.get("extended").requireMap();
            for (Map.Entry<String, String> e : extended.stringMap().entrySet()) {
                try {
                    r.putExtended(e.getKey(), Long.parseLong(e.getValue()));
                } catch (NumberFormatException bad) {
                    throw extended.get(e.getKey()).problem("must be a whole number");
                }
            }
        }
        return r.build();
    }
}
