package io.farget.sandbox.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.farget.sandbox.cgroup.CgroupLimits;
import java.util.List;
import java.util.Map;

/**
 * Builds the OCI runtime spec (config.json) of one container: a read-only root (an unpacked image, or
 * an empty folder with the host's /usr and /etc bound read-only), a private writable /tmp, the pod's
 * volumes, fresh pid and mount namespaces and either fresh or the pause process's network/ipc/uts
 * namespaces (runc brings a new network namespace's loopback up itself), the container's limits, and
 * hardening by default: Docker's capability set minus NET_RAW and MKNOD, no new privileges, the
 * default seccomp profile, masked and read-only kernel paths. Pure: the host's facts come in as
 * {@link HostFolders}.
 */
public final class OciSpecBuilder {
    public static final String OCI_VERSION = "1.0.2";
    public static final String ROOTFS = "rootfs";
    public static final long CPU_PERIOD_MICROS = CgroupLimits.CPU_PERIOD_MICROS;
    static final String TMP_SIZE = "64m";

    /** What Docker keeps, minus NET_RAW (raw sockets spoof traffic) and MKNOD (device nodes). */
    public static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
            "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_AUDIT_WRITE");
    static final List<String> RUNC_MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
            "/sys/devices/virtual/powercap");
    static final List<String> RUNC_READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
    /** Namespaces a container always owns; the rest it owns alone or shares with its pod's pause process. */
    static final List<String> OWN_NAMESPACES = List.of("pid", "mount");
    static final List<String> POD_NAMESPACES = List.of("network", "ipc", "uts");
    private static final List<String> READ_WRITE_BIND = List.of("rbind", "rw", "nosuid", "nodev");
    private static final Map<String, String> NS_FILES = Map.of("network", "net", "ipc", "ipc", "uts", "uts");
    private static final List<String> READ_ONLY_BIND = List.of("rbind", "ro", "nosuid", "nodev");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private OciSpecBuilder() {}

    public static ObjectNode build(OciContainer container, HostFolders host) {
        ObjectNode spec = JSON.objectNode();
        spec.put("ociVersion", OCI_VERSION);
        spec.set("process", process(container));
        ObjectNode root = spec.putObject("root");
        root.put("path", container.imageRootfs() == null ? ROOTFS : container.imageRootfs().toString());
        root.put("readonly", true);
        if (container.hostname() != null) {
            spec.put("hostname", container.hostname());
        }
        spec.set("mounts", mounts(container, host));
        spec.set("linux", linux(container, host));
        return spec;
    }

    public static String toJson(ObjectNode spec) {
        try {
            return MAPPER.writeValueAsString(spec);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an ObjectNode always serializes", e);
        }
    }

    /** CPU quota per {@link #CPU_PERIOD_MICROS} for a limit in millicores. */
    public static long cpuQuotaMicros(long cpuMillis) {
        return CgroupLimits.cpuQuotaMicros(cpuMillis);
    }

    private static ObjectNode process(OciContainer c) {
        ObjectNode process = JSON.objectNode();
        process.put("terminal", false);
        ObjectNode user = process.putObject("user");
        user.put("uid", c.user().uid());
        user.put("gid", c.user().gid());
        ArrayNode args = process.putArray("args");
        c.args().forEach(args::add);
        ArrayNode env = process.putArray("env");
        for (Map.Entry<String, String> e : c.env().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        process.put("cwd", c.cwd());
        ObjectNode caps = process.putObject("capabilities");
        // No ambient set: a non-root user loses the effective capabilities at exec, as under Docker.
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode list = caps.putArray(set);
            CAPABILITIES.forEach(list::add);
        }
        ArrayNode rlimits = process.putArray("rlimits");
        ObjectNode nofile = rlimits.addObject();
        nofile.put("type", "RLIMIT_NOFILE");
        nofile.put("hard", 1024);
        nofile.put("soft", 1024);
        process.put("noNewPrivileges", true);
        return process;
    }

    private static ArrayNode mounts(OciContainer c, HostFolders host) {
        ArrayNode mounts = JSON.arrayNode();
        mount(mounts, "/proc", "proc", "proc");
        mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
        mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        if (c.imageRootfs() == null) {
            for (String folder : HostFolders.SYSTEM_FOLDERS) {
                bind(mounts, folder, folder, READ_ONLY_BIND);
            }
            for (String folder : host.binds()) {
                bind(mounts, folder, folder, READ_ONLY_BIND);
            }
        }
        mount(mounts, "/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777", "size=" + TMP_SIZE);
        for (OciContainer.VolumeBind volume : c.volumes()) {
            bind(mounts, volume.destination(), volume.source().toString(), volume.readOnly() ? READ_ONLY_BIND : READ_WRITE_BIND);
        }
        return mounts;
    }

    private static void bind(ArrayNode mounts, String destination, String source, List<String> options) {
        ObjectNode m = mounts.addObject();
        m.put("destination", destination);
        m.put("type", "bind");
        m.put("source", source);
        ArrayNode list = m.putArray("options");
        options.forEach(list::add);
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, String... options) {
        ObjectNode m = mounts.addObject();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        if (options.length > 0) {
            ArrayNode list = m.putArray("options");
            for (String option : options) {
                list.add(option);
            }
        }
    }

    private static ObjectNode linux(OciContainer c, HostFolders host) {
        ObjectNode linux = JSON.objectNode();
        ObjectNode resources = linux.putObject("resources");
        ObjectNode deny = resources.putArray("devices").addObject();
        deny.put("allow", false);
        deny.put("access", "rwm");
        // No quota here: the runtime writes it once the container runs (Cgroups.limitCpu says why).
        resources.putObject("cpu").put("period", CPU_PERIOD_MICROS);
        ObjectNode memory = resources.putObject("memory");
        memory.put("limit", c.memoryBytes());
        memory.put("swap", c.memoryBytes()); // memory+swap equal to memory: no swap
        resources.putObject("pids").put("limit", c.pidsLimit());
        linux.put("cgroupsPath", c.cgroupsPath());
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String type : OWN_NAMESPACES) {
            namespaces.addObject().put("type", type);
        }
        for (String type : POD_NAMESPACES) {
            ObjectNode namespace = namespaces.addObject().put("type", type);
            if (c.joinPid() != null) {
                namespace.put("path", "/proc/" + c.joinPid() + "/ns/" + NS_FILES.get(type));
            } else if (c.netns() != null && type.equals("network")) {
                namespace.put("path", c.netns().toString());
            }
        }
        ArrayNode masked = linux.putArray("maskedPaths");
        RUNC_MASKED_PATHS.forEach(masked::add);
        if (c.imageRootfs() == null) {
            host.secrets().forEach(masked::add); // an image's own files are its own business
        }
        ArrayNode readonly = linux.putArray("readonlyPaths");
        RUNC_READONLY_PATHS.forEach(readonly::add);
        linux.set("seccomp", SeccompProfile.defaultProfile());
        return linux;
    }
}
