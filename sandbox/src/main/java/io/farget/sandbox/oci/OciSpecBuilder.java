package io.farget.sandbox.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Builds the OCI runtime spec (config.json) of a container without image: the host's /usr and /etc
 * read-only, a private writable /tmp, fresh pid/mount/uts/ipc/network namespaces (runc brings the new
 * network namespace's loopback up itself), runc's default capabilities, and the pod's limits.
 * Pure: the host's facts come in as {@link HostFolders}.
 */
public final class OciSpecBuilder {
    public static final String OCI_VERSION = "1.0.2";
    public static final String ROOTFS = "rootfs";
    public static final long CPU_PERIOD_MICROS = 100_000;
    /** The kernel refuses CFS quotas below one millisecond. */
    static final long MIN_CPU_QUOTA_MICROS = 1_000;
    static final String TMP_SIZE = "64m";

    /** runc spec's defaults, kept so a container sees what it would under any OCI runtime. */
    static final List<String> CAPABILITIES = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
    static final List<String> RUNC_MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi");
    static final List<String> RUNC_READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
    static final List<String> NAMESPACES = List.of("pid", "network", "ipc", "uts", "mount");
    private static final List<String> READ_ONLY_BIND = List.of("rbind", "ro", "nosuid", "nodev");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private OciSpecBuilder() {}

    public static ObjectNode build(OciContainer container, HostFolders host) {
        ObjectNode spec = JSON.objectNode();
        spec.put("ociVersion", OCI_VERSION);
        spec.set("process", process(container));
        ObjectNode root = spec.putObject("root");
        root.put("path", ROOTFS);
        root.put("readonly", true);
        if (container.hostname() != null) {
            spec.put("hostname", container.hostname());
        }
        spec.set("mounts", mounts(host));
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
        return Math.max(MIN_CPU_QUOTA_MICROS, cpuMillis * CPU_PERIOD_MICROS / 1000);
    }

    private static ObjectNode process(OciContainer c) {
        ObjectNode process = JSON.objectNode();
        process.put("terminal", false);
        ObjectNode user = process.putObject("user");
        user.put("uid", 0);
        user.put("gid", 0);
        ArrayNode args = process.putArray("args");
        c.args().forEach(args::add);
        ArrayNode env = process.putArray("env");
        for (Map.Entry<String, String> e : c.env().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        process.put("cwd", c.cwd());
        ObjectNode caps = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted", "ambient")) {
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

    private static ArrayNode mounts(HostFolders host) {
        ArrayNode mounts = JSON.arrayNode();
        mount(mounts, "/proc", "proc", "proc");
        mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
        mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        for (String folder : HostFolders.SYSTEM_FOLDERS) {
            bindReadOnly(mounts, folder);
        }
        for (String folder : host.binds()) {
            bindReadOnly(mounts, folder);
        }
        mount(mounts, "/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777", "size=" + TMP_SIZE);
        return mounts;
    }

    private static void bindReadOnly(ArrayNode mounts, String folder) {
        ObjectNode m = mounts.addObject();
        m.put("destination", folder);
        m.put("type", "bind");
        m.put("source", folder);
        ArrayNode options = m.putArray("options");
        READ_ONLY_BIND.forEach(options::add);
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
        ObjectNode cpu = resources.putObject("cpu");
        cpu.put("quota", cpuQuotaMicros(c.cpuMillis()));
        cpu.put("period", CPU_PERIOD_MICROS);
        ObjectNode memory = resources.putObject("memory");
        memory.put("limit", c.memoryBytes());
        memory.put("swap", c.memoryBytes()); // memory+swap equal to memory: no swap
        resources.putObject("pids").put("limit", c.pidsLimit());
        linux.put("cgroupsPath", c.cgroupsPath());
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String type : NAMESPACES) {
            namespaces.addObject().put("type", type);
        }
        ArrayNode masked = linux.putArray("maskedPaths");
        RUNC_MASKED_PATHS.forEach(masked::add);
        host.secrets().forEach(masked::add);
        ArrayNode readonly = linux.putArray("readonlyPaths");
        RUNC_READONLY_PATHS.forEach(readonly::add);
        return linux;
    }
}
