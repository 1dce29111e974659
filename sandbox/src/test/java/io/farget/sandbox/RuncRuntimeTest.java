package io.farget.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.farget.common.PodIds;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import io.farget.sandbox.linux.MountTable;
import io.farget.sandbox.oci.HostFolders;
import io.farget.sandbox.oci.OciContainer;
import io.farget.sandbox.oci.OciSpecBuilder;
import io.farget.sandbox.oci.Rootfs;
import io.farget.sandbox.runc.PodLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sandboxes through the installed runc: needs root and writable cgroups. */
@Tag("runc")
class RuncRuntimeTest {
    private static final long MI = 1L << 20;
    private static final long PIDS_LIMIT = 64;
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    @TempDir
    Path data;
    private final String parent = "farget-test-" + PodIds.newId();
    private final List<String> started = new ArrayList<>();
    private final Map<String, SandboxStatus> exits = new ConcurrentHashMap<>();
    private RuncConfig config;
    private RuncRuntime runtime;

    @BeforeEach
    void setUp() {
        config = RuncConfig.defaults(data).withCgroupParent(parent).withPidsLimit(PIDS_LIMIT);
        assertThat(RuncRuntime.available(config).ok()).as(RuncRuntime.available(config).message()).isTrue();
        runtime = new RuncRuntime(config);
        runtime.onExit(exits::put);
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            for (String id : started) {
                runtime.remove(id);
            }
        } finally {
            runtime.close();
            runtime.cgroups().remove("/" + parent);
        }
    }

    private SandboxRequest request(String name, long cpuMillis, long memoryBytes, String... command) {
        ContainerSpec container = ContainerSpec.newBuilder().setName("main").addAllCommand(List.of(command))
                .setResources(Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryBytes(memoryBytes)).build();
        String id = PodIds.newId();
        started.add(id);
        return new SandboxRequest(id, 1, PodSpec.newBuilder().setName(name).addContainers(container).build());
    }

    private String start(String name, long cpuMillis, long memoryBytes, String... command) throws SandboxException {
        SandboxRequest request = request(name, cpuMillis, memoryBytes, command);
        runtime.start(request);
        return request.podId();
    }

    private SandboxStatus awaitExit(String id) {
        await().atMost(Duration.ofSeconds(15)).until(() -> exits.containsKey(id));
        return exits.get(id);
    }

    private String log(String id) throws IOException {
        Path file = runtime.logFile(id, "main");
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    @Test
    void runsTheCommandAsPidOneWithThePodsHostnameAndReportsItsExitCode() throws Exception {
        String id = start("hello-pod", 500, 64 * MI, "sh", "-c", "echo pid=$$; hostname; echo lo=$(cat /sys/class/net/lo/flags); exit 3");

        SandboxStatus status = awaitExit(id);

        assertThat(status.state()).isEqualTo(SandboxStatus.State.EXITED);
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.oomKilled()).isFalse();
        assertThat(status.finishedAt()).isAfterOrEqualTo(status.startedAt());
        assertThat(runtime.status(id)).contains(status);
        assertThat(log(id)).contains("pid=1\n", "hello-pod\n", "lo=0x9"); // 0x9: IFF_UP | IFF_LOOPBACK
        assertThat(runtime.stats(id)).isPresent();
    }

    @Test
    void runcRunsFromTheSealedCopySoItDoesNotCopyItselfAtEveryStart() throws Exception {
        String id = start("sealed", 500, 64 * MI, "sleep", "30");

        Path shimPid = PodLayout.of(config.podsDir(), id).container("main").shimPidFile();
        long shim = Long.parseLong(Files.readString(shimPid).trim());
        // The shim's child is the foreground runc: it runs from the sealed memfd, which runc's own check accepts.
        ProcessHandle runc = ProcessHandle.of(shim).orElseThrow().children().findFirst().orElseThrow();
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + runc.pid() + "/exe")).toString()).startsWith("/memfd:runc");
    }

    @Test
    void goingPastTheMemoryLimitIsAnOomKill() throws Exception {
        String id = start("oom", 500, 32 * MI, "tail", "/dev/zero");

        SandboxStatus status = awaitExit(id);

        assertThat(status.exitCode()).isEqualTo(137);
        assertThat(status.oomKilled()).isTrue();
        assertThat(runtime.stats(id).orElseThrow().memoryHighWaterBytes()).isGreaterThan(16 * MI).isLessThanOrEqualTo(32 * MI);
    }

    @Test
    void cpuQuotaCapsABusyLoop() throws Exception {
        String id = start("busy", 500, 64 * MI, "timeout", "2", "sh", "-c", "while :; do :; done");

        SandboxStatus status = awaitExit(id);

        long wallNanos = Duration.between(status.startedAt(), status.finishedAt()).toNanos();
        long cpuNanos = runtime.stats(id).orElseThrow().cpuNanos();
        System.out.printf("[report] 0.5 CPU busy loop: %d ms CPU in %d ms wall (%.0f%%)%n",
                cpuNanos / 1_000_000, wallNanos / 1_000_000, 100.0 * cpuNanos / wallNanos);
        assertThat(status.exitCode()).isEqualTo(124); // timeout's own code: the loop ran the full 2 s
        assertThat(cpuNanos).isLessThanOrEqualTo((long) (wallNanos * 0.6)).isGreaterThan(wallNanos / 10);
    }

    @Test
    void thePidsLimitStopsForks() throws Exception {
        String id = start("forks", 500, 64 * MI, "sh", "-c", "i=0; while [ $i -lt 200 ]; do sleep 30 & i=$((i+1)); done; sleep 30");
        Path pids = CGROUP_ROOT.resolve("pids").resolve(parent).resolve(id).resolve("main"); // the container's own leaf

        await().atMost(Duration.ofSeconds(10)).until(() -> maxEvents(pids) > 0);

        assertThat(Long.parseLong(Files.readString(pids.resolve("pids.current")).trim())).isLessThanOrEqualTo(PIDS_LIMIT);
        assertThat(Files.readString(pids.resolve("pids.max")).trim()).isEqualTo(String.valueOf(PIDS_LIMIT));
    }

    private static long maxEvents(Path pidsCgroup) throws IOException {
        String events = Files.readString(pidsCgroup.resolve("pids.events"));
        return Long.parseLong(events.replaceAll("(?s).*max (\\d+).*", "$1"));
    }

    @Test
    void stopLetsATrappingProcessExitWithItsOwnCodeAndKillsOneThatIgnoresTerm() throws Exception {
        String trapping = start("trap", 200, 32 * MI, "sh", "-c", "trap 'echo bye; exit 7' TERM; echo ready; while :; do sleep 0.05; done");
        String sleeping = start("sleeper", 200, 32 * MI, "sleep", "60");
        await().atMost(Duration.ofSeconds(5)).until(() -> log(trapping).contains("ready"));

        long before = System.nanoTime();
        runtime.stop(trapping, Duration.ofSeconds(10));
        runtime.stop(sleeping, Duration.ofMillis(300));
        long stopMillis = (System.nanoTime() - before) / 1_000_000;

        assertThat(awaitExit(trapping).exitCode()).isEqualTo(7);
        assertThat(log(trapping)).contains("bye");
        SandboxStatus killed = awaitExit(sleeping);
        assertThat(killed.exitCode()).isEqualTo(137); // sleep as pid 1 ignores TERM: KILL after the grace
        assertThat(killed.oomKilled()).isFalse();
        assertThat(stopMillis).as("stop() does not wait for the grace period").isLessThan(2_000);
        runtime.stop(sleeping, Duration.ofMillis(300)); // an ended pod: nothing happens
    }

    @Test
    void removeLeavesNoCgroupNoRuncStateNoMountNoBundleButKeepsTheLog() throws Exception {
        String id = start("doomed", 200, 32 * MI, "sh", "-c", "echo alive; sleep 60");
        await().atMost(Duration.ofSeconds(5)).until(() -> log(id).contains("alive"));
        assertThat(runtime.cgroups().folders(config.cgroupPath(id))).isNotEmpty();
        assertThat(runtime.list()).contains(id);

        runtime.remove(id);

        assertThat(hierarchyFoldersOf(id)).isEmpty();
        assertThat(runcList()).doesNotContain(id);
        assertThat(MountTable.mountPointsUnder(config.podsDir())).isEmpty();
        assertThat(data.resolve("pods").resolve(id).resolve("bundle")).doesNotExist();
        assertThat(log(id)).contains("alive");
        assertThat(runtime.status(id)).isEmpty();
        assertThat(runtime.stats(id)).isEmpty();
        assertThat(runtime.list()).doesNotContain(id);
        assertThat(exits).as("a removed pod's exit is nobody's news").doesNotContainKey(id);
        runtime.remove(id); // twice: nothing happens
    }

    /** Every hierarchy under /sys/fs/cgroup, including the unified mount, probed independently of the code under test. */
    private List<Path> hierarchyFoldersOf(String id) throws IOException {
        try (Stream<Path> hierarchies = Files.list(CGROUP_ROOT)) {
            return hierarchies.map(h -> h.resolve(parent).resolve(id)).filter(Files::exists).toList();
        }
    }

    private String runcList() throws Exception {
        Process p = new ProcessBuilder("runc", "--root", config.stateRoot().toString(), "list", "-q").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @Test
    void hostSecretsAreHiddenTheRootIsReadOnlyAndTmpIsWritable() throws Exception {
        String id = start("locked", 200, 32 * MI, "sh", "-c",
                "echo shadow=$(cat /etc/shadow | wc -c); echo ssh=$(ls -A /etc/ssh | wc -l); "
                        + "if touch /x 2>/dev/null; then echo root=writable; else echo root=readonly; fi; "
                        + "if touch /usr/x 2>/dev/null; then echo usr=writable; else echo usr=readonly; fi; "
                        + "echo hi > /tmp/y && echo tmp=$(cat /tmp/y)");

        assertThat(awaitExit(id).exitCode()).isZero();

        assertThat(log(id)).contains("shadow=0\n", "ssh=0\n", "root=readonly\n", "usr=readonly\n", "tmp=hi\n");
    }

    @Test
    void startingTheSameIdTwiceDoesNothing() throws Exception {
        SandboxRequest request = request("twice", 200, 32 * MI, "sh", "-c", "echo started; sleep 60");
        runtime.start(request);
        SandboxStatus first = runtime.status(request.podId()).orElseThrow();

        runtime.start(request);

        await().atMost(Duration.ofSeconds(5)).until(() -> log(request.podId()).contains("started"));
        assertThat(runtime.status(request.podId())).contains(first);
        assertThat(log(request.podId())).containsOnlyOnce("started");
        assertThat(runcList().lines().filter(request.podId()::equals)).hasSize(1);
    }

    @Test
    void aStartThatFailsSaysWhyAndLeavesNothingBehind() {
        SandboxRequest request = request("broken", 200, 32 * MI, "/no/such/program");

        assertThatThrownBy(() -> runtime.start(request)).isInstanceOf(SandboxException.class)
                .hasMessageContaining("/no/such/program");

        assertThat(runtime.status(request.podId())).isEmpty();
        assertThat(runtime.list()).doesNotContain(request.podId());
        assertThat(runtime.cgroups().folders(config.cgroupPath(request.podId()))).isEmpty();
    }

    @Test
    void aHostPathTheOperatorDidNotAllowIsRefusedNamingTheVolumeAndLeavesNothing() {
        ContainerSpec c = ContainerSpec.newBuilder().setName("a").addCommand("true")
                .addVolumeMounts(io.farget.proto.v1.VolumeMount.newBuilder().setName("etc").setMountPath("/host-etc"))
                .setResources(Resources.newBuilder().setCpuMillis(100).setMemoryBytes(32 * MI)).build();
        PodSpec spec = PodSpec.newBuilder().setName("sneaky").addContainers(c).addVolumes(io.farget.proto.v1.Volume.newBuilder()
                .setName("etc").setHostPath(io.farget.proto.v1.HostPathVolume.newBuilder().setPath("/etc"))).build();
        SandboxRequest request = new SandboxRequest(PodIds.newId(), 1, spec);
        started.add(request.podId());

        assertThatThrownBy(() -> runtime.start(request)).isInstanceOf(SandboxException.class)
                .hasMessageContaining("volume 'etc'").hasMessageContaining("not allowed");
        assertThat(data.resolve("pods").resolve(request.podId()).resolve("bundle")).doesNotExist();
        assertThat(runtime.cgroups().folders(config.cgroupPath(request.podId()))).isEmpty();
    }

    /** Not a check: numbers for the lead's report. */
    @Test
    void reportStartLatencyBesideABareRuncRun() throws Exception {
        long[] ours = new long[5];
        for (int i = 0; i < ours.length; i++) {
            long began = System.nanoTime();
            String id = start("timing", 200, 32 * MI, "true");
            ours[i] = System.nanoTime() - began;
            awaitExit(id);
        }
        long[] bare = new long[5];
        for (int i = 0; i < bare.length; i++) {
            bare[i] = bareRuncRunOfTrue(i);
        }
        java.util.Arrays.sort(ours);
        java.util.Arrays.sort(bare);
        System.out.printf("[report] start() median %.1f ms (min %.1f); bare 'runc run' of /bin/true median %.1f ms (min %.1f)%n",
                ours[2] / 1e6, ours[0] / 1e6, bare[2] / 1e6, bare[0] / 1e6);
    }

    /** runc run (foreground, deletes itself) of the same kind of bundle; returns its duration in ns. */
    private long bareRuncRunOfTrue(int n) throws Exception {
        Path bundle = data.resolve("bare-" + n);
        HostFolders host = HostFolders.probe();
        Rootfs.prepare(bundle.resolve("rootfs"), host);
        String id = "bare-" + PodIds.newId();
        OciContainer container = new OciContainer("bare", List.of("/bin/true"), Map.of("PATH", "/usr/bin"), "/", 200, 32 * MI,
                PIDS_LIMIT, "/" + parent + "/" + id);
        Files.writeString(bundle.resolve("config.json"), OciSpecBuilder.toJson(OciSpecBuilder.build(container, host)));
        long began = System.nanoTime();
        Process p = new ProcessBuilder("runc", "--root", config.stateRoot().toString(), "run", "--bundle", bundle.toString(), id)
                .redirectErrorStream(true).redirectOutput(bundle.resolve("out.log").toFile()).start();
        assertThat(p.waitFor()).isZero();
        long took = System.nanoTime() - began;
        runtime.cgroups().remove("/" + parent + "/" + id);
        return took;
    }
}
