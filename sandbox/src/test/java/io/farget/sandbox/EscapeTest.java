package io.farget.sandbox;

import static io.farget.sandbox.RuncFixture.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.farget.proto.v1.EmptyDirVolume;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Volume;
import io.farget.proto.v1.VolumeMount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a hostile process inside a pod tries, and must fail at, with the default (loopback-only) network. */
@Tag("runc")
class EscapeTest {
    @TempDir
    Path data;
    private RuncFixture f;

    @BeforeEach
    void setUp() {
        f = new RuncFixture(data, c -> c);
    }

    @AfterEach
    void tearDown() throws IOException {
        f.close();
        assertThat(Files.exists(Path.of("/sys/fs/cgroup/pids", f.parent))).as("cgroups left").isFalse();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).as("mounts left").doesNotContain(data.toString());
        assertThat(f.runtime.list()).as("runc state or bundles left").isEmpty();
    }

    private static final String PROBE = String.join("; ",
            "echo procs=$(ls /proc | grep -c '^[0-9]')",
            "[ -e /proc/" + ProcessHandle.current().pid() + "/cmdline ] && echo agent=visible || echo agent=hidden",
            "touch /usr/escape 2>/dev/null && echo usr=writable || echo usr=readonly",
            "touch /escape 2>/dev/null && echo root=writable || echo root=readonly",
            "echo ok > /vol/file && echo vol=writable",
            "mount -t tmpfs x /mnt 2>/dev/null && echo mount=allowed || echo mount=denied",
            "echo junk > /tmp/m.ko; busybox insmod /tmp/m.ko 2>&1 | sed 's/^/insmod: /'",
            "busybox ping -c 1 -W 1 127.0.0.1 >/dev/null 2>&1 && echo ping=allowed || echo ping=denied",
            "busybox ping -c 1 -W 1 127.0.0.1 2>&1 | sed 's/^/ping: /'");

    @Test
    void aPodSeesOnlyItsOwnProcessesWritesOnlyItsVolumesAndCannotMountLoadModulesOrOpenRawSockets() throws Exception {
        String id = f.start(PodSpec.newBuilder().setName("probe")
                .addVolumes(Volume.newBuilder().setName("vol").setEmptyDir(EmptyDirVolume.getDefaultInstance()))
                .addContainers(container("main", "sh", "-c", PROBE).addVolumeMounts(VolumeMount.newBuilder().setName("vol")
                        .setMountPath("/vol"))).build());

        f.awaitExit(id);

        String log = f.log(id, "main");
        assertThat(log).contains("agent=hidden", "usr=readonly", "root=readonly", "vol=writable", "mount=denied", "ping=denied")
                .containsPattern("insmod: .*(Operation not permitted|not permitted)")
                .containsPattern("ping: .*(permitted|denied)");
        int procs = Integer.parseInt(log.lines().filter(l -> l.startsWith("procs=")).findFirst().orElseThrow().substring(6));
        assertThat(procs).as("only the pod's own processes: sh, ls, grep").isLessThanOrEqualTo(5);
        assertThat(Files.exists(Path.of("/usr/escape"))).isFalse();
    }

    @Test
    void aPodCannotReachAnotherPodsLoopbackServices() throws Exception {
        String server = f.start(PodSpec.newBuilder().setName("server")
                .addContainers(container("main", "busybox", "nc", "-ll", "-p", "9090", "-e", "echo", "secret")).build());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(execOutput(server, "busybox", "nc", "-w", "1", "127.0.0.1", "9090")).as("positive control").contains("secret"));

        String client = f.start(PodSpec.newBuilder().setName("client").addContainers(container("main", "sh", "-c",
                "busybox nc -w 1 127.0.0.1 9090 && echo reached || echo unreachable")).build());

        f.awaitExit(client);
        assertThat(f.log(client, "main")).contains("unreachable").doesNotContain("secret");
    }

    @Test
    void aForkBombStopsAtThePidsLimitAndTheHostCarriesOn() throws Exception {
        String id = f.start(PodSpec.newBuilder().setName("bomb").addContainers(container("main", "sh", "-c",
                "bomb() { bomb | bomb & }; bomb; sleep 60")).build());
        Path pidsCurrent = Path.of("/sys/fs/cgroup/pids", f.config.cgroupPath(id), "pids.current");
        Path pidsMax = Path.of("/sys/fs/cgroup/pids", f.config.cgroupPath(id), "pids.max");
        long limit = Long.parseLong(Files.readString(pidsMax).strip());
        // The container's own leaf (same limit) is the one that refuses forks: its counter says so.
        Path failures = Path.of("/sys/fs/cgroup/pids", f.config.cgroupPath(id, "main"), "pids.events");

        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.readString(failures).strip().equals("max 0"));

        for (int i = 0; i < 5; i++) {
            assertThat(Long.parseLong(Files.readString(pidsCurrent).strip())).isLessThanOrEqualTo(limit);
        }
        Process host = new ProcessBuilder("true").start();
        assertThat(host.waitFor(5, TimeUnit.SECONDS)).as("the host still forks").isTrue();
        f.runtime.remove(id);
        assertThat(Files.exists(pidsCurrent)).isFalse();
    }

    private String execOutput(String podId, String... command) throws Exception {
        Process p = f.runtime.exec(podId, "", List.of(command));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(5, TimeUnit.SECONDS);
        return out;
    }
}
