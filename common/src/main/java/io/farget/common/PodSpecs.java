package io.farget.common;

import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PortMapping;
import io.farget.proto.v1.Volume;
import io.farget.proto.v1.VolumeMount;
import io.farget.proto.v1.RestartPolicy;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates pod specs and fills in defaults. Every rejection is an {@link ErrorCode#INVALID_ARGUMENT}
 * whose message starts with the field's path as written in a spec file, e.g. {@code containers[0].resources.cpu}.
 */
public final class PodSpecs {
    /** Below this the kernel's own accounting dominates and runc cannot start a process reliably. */
    public static final long MIN_MEMORY_BYTES = 4L << 20;
    public static final int MAX_CONTAINERS = 32;
    public static final int MAX_COMMAND_ARGS = 4096;

    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    private static final Pattern LABEL_KEY = Pattern.compile("^([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");
    private static final Pattern IMAGE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,511}$");
    private static final Pattern USER = Pattern.compile("^\\d{1,9}(:\\d{1,9})?$");
    private static final Set<String> NETWORKS = Set.of("", "pod", "none");
    private static final Set<String> PROTOCOLS = Set.of("", "tcp", "udp");

    private PodSpecs() {}

    /** The spec with defaults filled in, or an INVALID_ARGUMENT naming the first bad field. */
    public static PodSpec validateAndNormalize(PodSpec spec) {
        if (spec == null) {
            throw FargetException.invalid("spec", "is required");
        }
        PodSpec.Builder b = spec.toBuilder();
        if (!isDnsLabel(spec.getName())) {
            throw FargetException.invalid("name", describeDnsLabel(spec.getName()));
        }
        if (spec.getArch() == Arch.UNRECOGNIZED) {
            throw FargetException.invalid("arch", "must be x86_64, aarch64 or any");
        }
        if (spec.getArch() == Arch.ARCH_UNSPECIFIED) {
            b.setArch(Arch.ARCH_ANY);
        }
        if (spec.getRestart() == RestartPolicy.UNRECOGNIZED) {
            throw FargetException.invalid("restart", "must be never, on-failure or always");
        }
        if (spec.getRestart() == RestartPolicy.RESTART_POLICY_UNSPECIFIED) {
            b.setRestart(RestartPolicy.RESTART_POLICY_NEVER);
        }
        for (Map.Entry<String, String> label : spec.getLabelsMap().entrySet()) {
            if (!LABEL_KEY.matcher(label.getKey()).matches()) {
                throw FargetException.invalid("labels." + label.getKey(), "is not a valid label key");
            }
            if (label.getValue().length() > 63) {
                throw FargetException.invalid("labels." + label.getKey(), "value is longer than 63 characters");
            }
        }
        if (spec.getContainersCount() == 0) {
            throw FargetException.invalid("containers", "at least one container is required");
        }
        if (spec.getContainersCount() + spec.getInitContainersCount() > MAX_CONTAINERS) {
            throw FargetException.invalid("containers", "at most " + MAX_CONTAINERS + " containers per pod");
        }
        if (spec.getTerminationGracePeriodMillis() < 0) {
            throw FargetException.invalid("terminationGracePeriod", "must not be negative");
        }
        if (!NETWORKS.contains(spec.getNetwork())) {
            throw FargetException.invalid("network", "must be pod or none (got '" + spec.getNetwork() + "')");
        }
        PlacementSpecs.validate(spec);
        Set<String> volumes = validateVolumes(spec.getVolumesList());
        Set<String> names = new HashSet<>();
        b.clearContainers();
        b.addAllContainers(normalizeAll("containers", spec.getContainersList(), names));
        b.clearInitContainers();
        b.addAllInitContainers(normalizeAll("initContainers", spec.getInitContainersList(), names));
        validateMounts("initContainers", spec.getInitContainersList(), volumes);
        validateMounts("containers", spec.getContainersList(), volumes);
        return b.build();
    }

    private static Set<String> validateVolumes(List<Volume> volumes) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            Volume v = volumes.get(i);
            String path = "volumes[" + i + "]";
            if (!isDnsLabel(v.getName())) {
                throw FargetException.invalid(path + ".name", describeDnsLabel(v.getName()));
            }
            if (!names.add(v.getName())) {
                throw FargetException.invalid(path + ".name", "'" + v.getName() + "' is used by another volume of this pod");
            }
            switch (v.getSourceCase()) {
                case EMPTY_DIR -> {
                    if (v.getEmptyDir().getSizeLimitBytes() < 0) {
                        throw FargetException.invalid(path + ".emptyDir.sizeLimit", "must not be negative");
                    }
                }
                case HOST_PATH -> {
                    if (!isAbsoluteClean(v.getHostPath().getPath())) {
                        throw FargetException.invalid(path + ".hostPath.path", "must be an absolute path without '..'");
                    }
                }
                default -> throw FargetException.invalid(path, "needs a source: emptyDir or hostPath");
            }
        }
        return names;
    }

    private static void validateMounts(String field, List<ContainerSpec> containers, Set<String> volumes) {
        for (int i = 0; i < containers.size(); i++) {
            ContainerSpec c = containers.get(i);
            Set<String> paths = new HashSet<>();
            for (int m = 0; m < c.getVolumeMountsCount(); m++) {
                VolumeMount mount = c.getVolumeMounts(m);
                String path = field + "[" + i + "].volumeMounts[" + m + "]";
                if (!volumes.contains(mount.getName())) {
                    throw FargetException.invalid(path + ".name", "'" + mount.getName() + "' is not a volume of this pod");
                }
                if (!isAbsoluteClean(mount.getMountPath()) || mount.getMountPath().equals("/")) {
                    throw FargetException.invalid(path + ".mountPath", "must be an absolute path below / without '..'");
                }
                if (!paths.add(mount.getMountPath())) {
                    throw FargetException.invalid(path + ".mountPath", "'" + mount.getMountPath() + "' is mounted twice");
                }
            }
            for (int p = 0; p < c.getPortsCount(); p++) {
                PortMapping port = c.getPorts(p);
                String path = field + "[" + i + "].ports[" + p + "]";
                if (port.getContainerPort() < 1 || port.getContainerPort() > 65535) {
                    throw FargetException.invalid(path + ".containerPort", "must be 1-65535");
                }
                if (port.getHostPort() < 0 || port.getHostPort() > 65535) {
                    throw FargetException.invalid(path + ".hostPort", "must be 0-65535");
                }
                if (!PROTOCOLS.contains(port.getProtocol())) {
                    throw FargetException.invalid(path + ".protocol", "must be tcp or udp");
                }
            }
        }
    }

    private static boolean isAbsoluteClean(String path) {
        return path.startsWith("/") && !path.contains("\0") && !List.of(path.split("/")).contains("..");
    }

    private static List<ContainerSpec> normalizeAll(String field, List<ContainerSpec> containers, Set<String> names) {
        java.util.ArrayList<ContainerSpec> out = new java.util.ArrayList<>(containers.size());
        for (int i = 0; i < containers.size(); i++) {
            out.add(normalize(field + "[" + i + "]", containers.get(i), containers.size() == 1 && field.equals("containers"), names));
        }
        return out;
    }

    private static ContainerSpec normalize(String path, ContainerSpec c, boolean only, Set<String> names) {
        ContainerSpec.Builder b = c.toBuilder();
        String name = c.getName();
        if (name.isEmpty() && only) {
            name = "main";
            b.setName(name);
        }
        if (!isDnsLabel(name)) {
            throw FargetException.invalid(path + ".name", describeDnsLabel(name));
        }
        if (!names.add(name)) {
            throw FargetException.invalid(path + ".name", "'" + name + "' is used by another container of this pod");
        }
        if (!c.getImage().isEmpty() && !IMAGE.matcher(c.getImage()).matches()) {
            throw FargetException.invalid(path + ".image", "'" + c.getImage() + "' is not an image reference");
        }
        if (c.getCommandCount() == 0 || c.getCommand(0).isEmpty()) {
            throw FargetException.invalid(path + ".command", "must not be empty");
        }
        if (c.getCommandCount() > MAX_COMMAND_ARGS) {
            throw FargetException.invalid(path + ".command", "has more than " + MAX_COMMAND_ARGS + " arguments");
        }
        for (String arg : c.getCommandList()) {
            if (arg.indexOf('\0') >= 0) {
                throw FargetException.invalid(path + ".command", "must not contain NUL characters");
            }
        }
        for (Map.Entry<String, String> e : c.getEnvMap().entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                throw FargetException.invalid(path + ".env." + e.getKey(), "is not a valid variable name");
            }
            if (e.getValue().indexOf('\0') >= 0) {
                throw FargetException.invalid(path + ".env." + e.getKey(), "must not contain NUL characters");
            }
        }
        if (!c.getUser().isEmpty() && !USER.matcher(c.getUser()).matches()) {
            throw FargetException.invalid(path + ".user", "must be uid or uid:gid in digits (got '" + c.getUser() + "')");
        }
        if (!c.getWorkingDir().isEmpty() && !c.getWorkingDir().startsWith("/")) {
            throw FargetException.invalid(path + ".workingDir", "must be an absolute path");
        }
        if (c.getResources().getCpuMillis() <= 0) {
            throw FargetException.invalid(path + ".resources.cpu", "must be greater than 0 (got "
                    + Quantities.formatCores(c.getResources().getCpuMillis()) + ")");
        }
        if (c.getResources().getMemoryBytes() < MIN_MEMORY_BYTES) {
            throw FargetException.invalid(path + ".resources.memory", "must be at least 4Mi (got "
                    + c.getResources().getMemoryBytes() + " bytes)");
        }
        return b.build();
    }

    public static boolean isDnsLabel(String s) {
        return s != null && DNS_LABEL.matcher(s).matches();
    }

    private static String describeDnsLabel(String s) {
        if (s == null || s.isEmpty()) {
            return "is required (a DNS label: 1-63 lowercase letters, digits and '-')";
        }
        return "'" + s + "' is not a DNS label (1-63 lowercase letters, digits and '-', starting and ending with a letter or digit)";
    }
}
