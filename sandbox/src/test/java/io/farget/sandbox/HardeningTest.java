package io.farget.sandbox;

import static io.farget.sandbox.RuncFixture.container;
import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.HostPathVolume;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Volume;
import io.farget.proto.v1.VolumeMount;
import io.farget.sandbox.oci.OciSpecBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers are hardened by default: what a process inside can and cannot do, checked from inside. */
@Tag("runc")
class HardeningTest {
    /** Bit numbers of the capabilities kept, from linux/capability.h. */
    private static final Map<String, Integer> CAP_BITS = Map.ofEntries(Map.entry("CAP_CHOWN", 0), Map.entry("CAP_DAC_OVERRIDE", 1),
            Map.entry("CAP_FOWNER", 3), Map.entry("CAP_FSETID", 4), Map.entry("CAP_KILL", 5), Map.entry("CAP_SETGID", 6),
            Map.entry("CAP_SETUID", 7), Map.entry("CAP_SETPCAP", 8), Map.entry("CAP_NET_BIND_SERVICE", 10),
            Map.entry("CAP_SYS_CHROOT", 18), Map.entry("CAP_AUDIT_WRITE", 29));
    private static final String PROBE = "mount -t tmpfs x /tmp 2>/dev/null && echo mount=allowed || echo mount=denied; "
            + "unshare -r true 2>/dev/null && echo unshare=allowed || echo unshare=denied; "
            + "grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status; echo id=$(id -u):$(id -g); "
            + "echo shadow=$(cat /etc/shadow 2>/dev/null | wc -c); "
            + "for d in /root /home; do [ -e $d ] && echo $d=present || echo $d=absent; done; "
            + "cat /host/secret.txt && (echo x > /host/new 2>/dev/null && echo host=writable || echo host=readonly)";

    @TempDir
    Path data;
    @TempDir
    Path allowed;
    private RuncFixture f;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(allowed.resolve("secret.txt"), "from-host\n");
        f = new RuncFixture(data, c -> c.withAllowedHostPaths(List.of(allowed)).withRunAsNonRootDefault(true));
    }

    @AfterEach
    void tearDown() throws IOException {
        f.close();
    }

    private PodSpec pod(String name, String user) {
        var c = container("main", "sh", "-c", PROBE)
                .addVolumeMounts(VolumeMount.newBuilder().setName("host").setMountPath("/host"));
        if (user != null) {
            c.setUser(user);
        }
        return PodSpec.newBuilder().setName(name).addContainers(c).addVolumes(Volume.newBuilder().setName("host")
                .setHostPath(HostPathVolume.newBuilder().setPath(allowed.toString()))).build();
    }

    @Test
    void rootInsideHasOnlyTheMinimalCapabilitiesAndCannotMountUnshareOrReadHostSecrets() throws Exception {
        String root = f.start(pod("root", "0:0"));
        String named = f.start(pod("named", "1000:1001"));
        String nobody = f.start(pod("nobody", null));

        f.awaitExit(root);
        f.awaitExit(named);
        f.awaitExit(nobody);

        long expected = OciSpecBuilder.CAPABILITIES.stream().mapToLong(c -> 1L << CAP_BITS.get(c)).reduce(0, (a, b) -> a | b);
        assertThat(f.log(root, "main")).contains("mount=denied", "unshare=denied", String.format("CapEff:\t%016x", expected),
                "NoNewPrivs:\t1", "Seccomp:\t2", "id=0:0", "shadow=0", "/root=absent", "/home=absent", "from-host",
                "host=readonly");
        assertThat(f.log(named, "main")).contains("id=1000:1001", "CapEff:\t0000000000000000", "mount=denied", "Permission denied"); // the host folder is 0700 root
        assertThat(f.log(nobody, "main")).as("runAsNonRootDefault").contains("id=65534:65534");
        assertThat(Files.exists(allowed.resolve("new"))).isFalse();
    }

    @Test
    void aHostPathOutsideTheAllowedFoldersIsRefused() {
        PodSpec spec = PodSpec.newBuilder().setName("escape").addContainers(container("main", "true")
                        .addVolumeMounts(VolumeMount.newBuilder().setName("up").setMountPath("/up")))
                .addVolumes(Volume.newBuilder().setName("up").setHostPath(HostPathVolume.newBuilder()
                        .setPath(allowed.resolve("..").toString()))).build();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.start(spec)).isInstanceOf(SandboxException.class)
                .hasMessageContaining("volume 'up'").hasMessageContaining("not below a path this node allows");
    }
}
