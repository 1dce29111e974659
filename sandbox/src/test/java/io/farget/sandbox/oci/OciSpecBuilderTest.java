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
        assertThat(texts(process.get("capabilities").get("bounding")))
                .containsExactly("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
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

        assertThat(resources.get("cpu").get("quota").asLong()).isEqualTo(50_000);
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
