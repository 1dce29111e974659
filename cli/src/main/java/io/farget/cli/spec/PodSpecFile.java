package io.farget.cli.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.farget.common.Arches;
import io.farget.common.Quantities;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.EmptyDirVolume;
import io.farget.proto.v1.HostPathVolume;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.RestartPolicy;
import io.farget.proto.v1.Volume;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a pod spec file (YAML or JSON, Kubernetes-like; see CONTRACT.md) into a {@link PodSpec}.
 *
 * <p>It checks shape, not meaning: a field Farget does not know, or knows but cannot carry yet,
 * is an error naming it, because silently dropping a setting would run a different pod than the
 * user wrote. Whether values are acceptable (names, sizes, paths) is the scheduler's call.
 *
 * <p>Defaults: a container without resources reserves {@link SpecDefaults}; an init container
 * without resources gets the main containers' sum, so it runs within the pod's reservation
 * instead of enlarging it.
 */
public final class PodSpecFile {
    private static final Set<String> FIELDS = Set.of("name", "arch", "restart", "labels", "initContainers",
            "containers", "volumes", "terminationGracePeriodSeconds", "network", "priority", "nodeSelector",
            "gpuModels", "spread", "antiAffinity");
    private static final Set<String> FIELDS_NOT_YET = Set.of("affinity", "tolerations",
            "securityContext", "hostNetwork", "hostname", "activeDeadlineSeconds", "serviceAccountName",
            "imagePullSecrets", "dnsPolicy", "priorityClassName", "annotations");

    private PodSpecFile() {}

    /** Parses the file's text; JSON when it starts with '{', YAML otherwise. */
    public static PodSpec parse(String text) {
        JsonNode tree = read(text);
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new SpecException("", "the file holds no pod spec");
        }
        SpecNode root = SpecNode.root(tree).requireFields(FIELDS, FIELDS_NOT_YET);

        PodSpec.Builder pod = PodSpec.newBuilder().setName(root.text("name")).setNetwork(root.text("network"));
        if (root.has("arch")) {
            pod.setArch(arch(root.get("arch")));
        }
        if (root.has("restart")) {
            pod.setRestart(restart(root.get("restart")));
        }
        if (root.has("labels")) {
            pod.putAllLabels(root.get("labels").stringMap());
        }
        if (root.has("terminationGracePeriodSeconds")) {
            pod.setTerminationGracePeriodMillis(millis(root.get("terminationGracePeriodSeconds")));
        }
        PlacementSection.read(root, pod);
        for (SpecNode volume : root.get("volumes").list("volumes")) {
            pod.addVolumes(volume(volume));
        }
        for (ContainerSection.Parsed c : containers(root.get("containers"))) {
            pod.addContainers(c.withDefaults(SpecDefaults.CPU_MILLIS, SpecDefaults.MEMORY_BYTES));
        }
        long cpuSum = pod.getContainersList().stream().mapToLong(c -> c.getResources().getCpuMillis()).sum();
        long memorySum = pod.getContainersList().stream().mapToLong(c -> c.getResources().getMemoryBytes()).sum();
        for (ContainerSection.Parsed c : containers(root.get("initContainers"))) {
            pod.addInitContainers(c.withDefaults(
                    cpuSum > 0 ? cpuSum : SpecDefaults.CPU_MILLIS,
                    memorySum > 0 ? memorySum : SpecDefaults.MEMORY_BYTES));
        }
        return pod.build();
    }

    private static JsonNode read(String text) {
        boolean json = text.stripLeading().startsWith("{");
        ObjectMapper mapper = json
                ? JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build()
                : YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new SpecException("", "not valid " + (json ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse("") + where);
        }
    }

    private static List<ContainerSection.Parsed> containers(SpecNode list) {
        return list.list("containers").stream().map(ContainerSection::read).toList();
    }

    private static Volume volume(SpecNode node) {
        node.requireFields(Set.of("name", "emptyDir", "hostPath"), Set.of("configMap", "secret", "persistentVolumeClaim"));
        Volume.Builder volume = Volume.newBuilder().setName(node.text("name"));
        if (node.has("emptyDir") && node.has("hostPath")) {
            throw node.problem("a volume is either emptyDir or hostPath, not both");
        }
        if (node.has("emptyDir")) {
            SpecNode emptyDir = node.get("emptyDir").requireFields(Set.of("medium", "sizeLimit"), Set.of());
            String medium = emptyDir.text("medium");
            if (!medium.isEmpty() && !medium.equalsIgnoreCase("Memory")) {
                throw emptyDir.get("medium").problem("'" + medium + "' is not Memory (or left out for disk)");
            }
            EmptyDirVolume.Builder source = EmptyDirVolume.newBuilder().setMemory(!medium.isEmpty());
            if (emptyDir.has("sizeLimit")) {
                source.setSizeLimitBytes(bytes(emptyDir.get("sizeLimit")));
            }
            volume.setEmptyDir(source);
        } else if (node.has("hostPath")) {
            SpecNode hostPath = node.get("hostPath").requireFields(Set.of("path", "readWrite"), Set.of("type"));
            volume.setHostPath(HostPathVolume.newBuilder()
                    .setPath(hostPath.text("path"))
                    .setReadWrite(hostPath.has("readWrite") && hostPath.get("readWrite").bool()));
        } else {
            throw node.problem("needs a source: emptyDir or hostPath");
        }
        return volume.build();
    }

    private static Arch arch(SpecNode node) {
        try {
            return Arches.parse(node.scalar());
        } catch (IllegalArgumentException e) {
            throw node.problem(e.getMessage());
        }
    }

    /** never | on-failure | always; Kubernetes' Never, OnFailure and Always too. */
    private static RestartPolicy restart(SpecNode node) {
        String text = node.scalar();
        return switch (text.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
            case "never" -> RestartPolicy.RESTART_POLICY_NEVER;
            case "onfailure" -> RestartPolicy.RESTART_POLICY_ON_FAILURE;
            case "always" -> RestartPolicy.RESTART_POLICY_ALWAYS;
            default -> throw node.problem("'" + text + "' is not never, on-failure or always");
        };
    }

    private static long millis(SpecNode seconds) {
        try {
            return seconds.decimal().multiply(BigDecimal.valueOf(1000)).longValueExact();
        } catch (ArithmeticException e) {
            throw seconds.problem("must be a whole number of milliseconds");
        }
    }

    private static long bytes(SpecNode node) {
        try {
            return Quantities.parseBytes(node.scalar());
        } catch (IllegalArgumentException e) {
            throw node.problem(e.getMessage());
        }
    }
}
