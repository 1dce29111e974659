package io.farget.sandbox.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciSpecBuilderTest {
    private static final HostFolders MERGED_USR = new HostFolders(
            List.of(new HostFolders.Link("/bin", "usr/bin"), new HostFolders.Link("/lib64", "usr/lib64")),
            List.of(), List.of("/etc/shadow", "/etc/ssh"));

    private static OciContainer container(String hostname) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("GREETING", "hello world");
        return new OciContainer(hostname, List.of("sh", "-c", "echo hi"), env, "/tmp", 500, 32L << 20, 64, "/farget/abcdefghijkl");
    }

    /** Round-trips through the JSON text, as runc reads it. */
    private static JsonNode spec(OciContainer c, HostFolders host) throws Exception {
        return new ObjectMapper().readTree(OciSpecBuilder.toJson(OciSpecBuilder.build(c, host)));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode mountAt(JsonNode spec, String destination) {
        for (JsonNode m : spec.get("mounts")) {
            if (m.get("destination").asText().equals(destination)) {
                return m;
            }
        }
        return null;
    }

    @Test
    void processRunsTheCommandWithItsEnvironmentAndRuncDefaults() throws Exception {
        JsonNode process = spec(container("web"), MERGED_USR).get("process");

        assertThat(texts(process.get("args"))).containsExactly("sh", "-c", "echo hi");
        assertThat(texts(process.get("env"))).containsExactly("PATH=/usr/bin:/bin", "GREETING=hello world");
        assertThat(process.get("cwd").asText()).isEqualTo("/tmp");
        assertThat(process.get("terminal").asBoolean()).isFalse();
        assertThat(process.get("noNewPrivileges").asBoolean()).isTrue();
        assertThat(process.get("user").get("uid").asInt()).isZero();
        assertThat(texts(process.get("capabilities").get("bounding"))).containsExactlyElementsOf(OciSpecBuilder.CAPABILITIES)
                .doesNotContain("CAP_NET_RAW", "CAP_MKNOD", "CAP_SYS_ADMIN");
        assertThat(process.get("capabilities").has("ambient")).as("a non-root user keeps no capability").isFalse();
    }

    @Test
    void rootIsAnEmptyReadOnlyFolderWithTheHostSystemBoundReadOnly() throws Exception {
        JsonNode spec = spec(container("web"), MERGED_USR);

        assertThat(spec.get("root").get("path").asText()).isEqualTo("rootfs");
        assertThat(spec.get("root").get("readonly").asBoolean()).isTrue();
        for (String folder : List.of("/usr", "/etc")) {
            JsonNode bind = mountAt(spec, folder);
            assertThat(bind.get("type").asText()).isEqualTo("bind");
            assertThat(bind.get("source").asText()).isEqualTo(folder);
            assertThat(texts(bind.get("options"))).containsExactly("rbind", "ro", "nosuid", "nodev");
        }
        assertThat(mountAt(spec, "/bin")).as("a symlink on the host is a symlink in the rootfs, not a mount").isNull();
        assertThat(texts(mountAt(spec, "/tmp").get("options"))).contains("mode=1777", "size=64m").doesNotContain("ro");
        assertThat(mountAt(spec, "/sys").get("options").toString()).contains("\"ro\"");
        for (String m : List.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue")) {
            assertThat(mountAt(spec, m)).as(m).isNotNull();
        }
    }

    @Test
    void hostFoldersThatAreNotSymlinksAreBoundReadOnly() throws Exception {
        HostFolders classic = new HostFolders(List.of(), List.of("/bin", "/lib"), List.of());

        JsonNode spec = spec(container("web"), classic);

        assertThat(mountAt(spec, "/bin").get("source").asText()).isEqualTo("/bin");
        assertThat(texts(mountAt(spec, "/lib").get("options"))).contains("ro");
    }

    @Test
    void hostSecretsThatExistAreMaskedBesideRuncDefaults() throws Exception {
        JsonNode linux = spec(container("web"), MERGED_USR).get("linux");

        assertThat(texts(linux.get("maskedPaths"))).contains("/proc/kcore", "/sys/firmware", "/etc/shadow", "/etc/ssh")
                .doesNotContain("/etc/gshadow");
        assertThat(texts(linux.get("readonlyPaths"))).contains("/proc/sys", "/proc/sysrq-trigger");
    }

    @Test
    void limitsNamespacesAndCgroupPath() throws Exception {
        JsonNode spec = spec(container("web"), MERGED_USR);
        JsonNode resources = spec.get("linux").get("resources");

        // The quota is written once the container runs, so runc init is never throttled by it.
        assertThat(resources.get("cpu").has("quota")).isFalse();
        assertThat(resources.get("cpu").get("period").asLong()).isEqualTo(100_000);
        assertThat(resources.get("memory").get("limit").asLong()).isEqualTo(32L << 20);
        assertThat(resources.get("memory").get("swap").asLong()).isEqualTo(32L << 20);
        assertThat(resources.get("pids").get("limit").asLong()).isEqualTo(64);
        assertThat(spec.get("linux").get("cgroupsPath").asText()).isEqualTo("/farget/abcdefghijkl");
        List<String> namespaces = new ArrayList<>();
        spec.get("linux").get("namespaces").forEach(n -> {
            namespaces.add(n.get("type").asText());
            assertThat(n.has("path")).isFalse();
        });
        assertThat(namespaces).containsExactlyInAnyOrder("pid", "mount", "uts", "ipc", "network");
        assertThat(spec.get("hostname").asText()).isEqualTo("web");
    }

    @Test
    void aJoinedContainerSharesThePausesNetworkIpcAndUtsButOwnsPidAndMount() throws Exception {
        JsonNode spec = spec(container(null).joining(4242), MERGED_USR);
        Map<String, String> paths = new LinkedHashMap<>();
        spec.get("linux").get("namespaces").forEach(n -> paths.put(n.get("type").asText(), n.path("path").asText(null)));

        assertThat(paths).containsEntry("network", "/proc/4242/ns/net").containsEntry("ipc", "/proc/4242/ns/ipc")
                .containsEntry("uts", "/proc/4242/ns/uts").containsEntry("pid", null).containsEntry("mount", null);
        assertThat(spec.has("hostname")).isFalse();
    }

    @Test
    void hardenedByDefaultWithTheSeccompProfile() throws Exception {
        JsonNode seccomp = spec(container("web"), MERGED_USR).get("linux").get("seccomp");

        assertThat(seccomp.get("defaultAction").asText()).isEqualTo("SCMP_ACT_ALLOW");
        JsonNode denied = seccomp.get("syscalls").get(0);
        assertThat(denied.get("action").asText()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(texts(denied.get("names"))).contains("mount", "umount2", "pivot_root", "unshare", "setns", "ptrace",
                "kexec_load", "init_module", "bpf", "keyctl", "reboot", "swapon", "clock_settime", "userfaultfd");
        assertThat(seccomp.has("comment")).isFalse();
    }

    @Test
    void userVolumesAndImageRootfs() throws Exception {
        OciContainer c = new OciContainer(null, List.of("true"), Map.of("PATH", "/bin"), "/", 100, 32L << 20, 8, "/f/p/c",
                new UserIds(1000, 2000), List.of(new OciContainer.VolumeBind("/data", java.nio.file.Path.of("/pods/p/v"), false),
                new OciContainer.VolumeBind("/conf", java.nio.file.Path.of("/srv/conf"), true)), 77,
                java.nio.file.Path.of("/images/unpacked/sha256-ab/rootfs"));

        JsonNode spec = spec(c, MERGED_USR);

        assertThat(spec.get("process").get("user").get("uid").asInt()).isEqualTo(1000);
        assertThat(spec.get("process").get("user").get("gid").asInt()).isEqualTo(2000);
        assertThat(spec.get("root").get("path").asText()).isEqualTo("/images/unpacked/sha256-ab/rootfs");
        assertThat(spec.get("root").get("readonly").asBoolean()).isTrue();
        assertThat(mountAt(spec, "/usr")).as("an image brings its own /usr").isNull();
        assertThat(texts(mountAt(spec, "/data").get("options"))).contains("rw").doesNotContain("ro");
        assertThat(mountAt(spec, "/data").get("source").asText()).isEqualTo("/pods/p/v");
        assertThat(texts(mountAt(spec, "/conf").get("options"))).contains("ro");
        assertThat(mountAt(spec, "/tmp")).isNotNull();
    }

    @Test
    void aPauseInAPinnedNetworkNamespaceJoinsItByPathAndOwnsNewIpcAndUts() throws Exception {
        OciContainer pause = container("pod").inNetwork(java.nio.file.Path.of("/var/lib/farget/cni/netns/p1"));

        JsonNode spec = spec(pause, MERGED_USR);

        Map<String, String> paths = new java.util.HashMap<>();
        spec.get("linux").get("namespaces").forEach(ns -> paths.put(ns.get("type").asText(), ns.path("path").asText("")));
        assertThat(paths).containsEntry("network", "/var/lib/farget/cni/netns/p1").containsEntry("ipc", "").containsEntry("uts", "")
                .containsEntry("pid", "").containsEntry("mount", "");
        assertThat(spec.get("hostname").asText()).as("it owns the pod's uts namespace").isEqualTo("pod");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OciContainer(null, List.of("true"), Map.of(), "/", 1, 1, 1, "/c",
                UserIds.ROOT, List.of(), 7, null, java.nio.file.Path.of("/x")))
                .as("the pause's namespaces or a pinned one, not both").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJoinedContainerSetsNoHostname() throws Exception {
        assertThat(spec(container(null), MERGED_USR).has("hostname")).isFalse();
    }

    @Test
    void cpuQuotaIsMillicoresOverAHundredMillisecondPeriodButNeverBelowTheKernelMinimum() {
        assertThat(OciSpecBuilder.cpuQuotaMicros(1000)).isEqualTo(100_000);
        assertThat(OciSpecBuilder.cpuQuotaMicros(2500)).isEqualTo(250_000);
        assertThat(OciSpecBuilder.cpuQuotaMicros(1)).isEqualTo(1_000);
    }
}
