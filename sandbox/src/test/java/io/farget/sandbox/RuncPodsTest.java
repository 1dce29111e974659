package io.farget.sandbox;

import static io.farget.sandbox.RuncFixture.MI;
import static io.farget.sandbox.RuncFixture.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.farget.proto.v1.EmptyDirVolume;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.Volume;
import io.farget.proto.v1.VolumeMount;
import io.farget.sandbox.linux.MountTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pods of several containers in real runc sandboxes: a pause holding net/ipc/uts, init containers, volumes, per-container cgroups. */
@Tag("runc")
class RuncPodsTest {
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    private static final VolumeMount DATA = VolumeMount.newBuilder().setName("data").setMountPath("/data").build();

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
    }

    private static Volume emptyDir(boolean memory) {
        return Volume.newBuilder().setName("data").setEmptyDir(EmptyDirVolume.newBuilder().setMemory(memory)
                .setSizeLimitBytes(memory ? 8 * MI : 0)).build();
    }

    @Test
    void twoContainersTalkOverLoopbackShareAVolumeAndTheHostnameButEachIsPidOne() throws Exception {
        PodSpec spec = PodSpec.newBuilder().setName("duo").addVolumes(emptyDir(true))
                .addContainers(container("server", "sh", "-c",
                        "echo pid=$$ host=$(hostname); busybox nc -l -p 8080 > /data/received; echo server-done"))
                .addContainers(container("client", "sh", "-c",
                        "echo pid=$$ host=$(hostname); i=0; until echo hello | busybox nc -w 1 127.0.0.1 8080; do "
                                + "i=$((i+1)); [ $i -gt 100 ] && exit 9; sleep 0.1; done; "
                                + "until grep -q hello /data/received; do sleep 0.05; done; echo shared=$(cat /data/received)")
                        .addVolumeMounts(DATA))
                .build();
        spec = spec.toBuilder().setContainers(0, spec.getContainers(0).toBuilder().addVolumeMounts(DATA)).build();

        String id = f.start(spec);
        SandboxStatus status = f.awaitExit(id);

        assertThat(status.exitCode()).as(f.log(id, "client")).isZero();
        assertThat(f.log(id, "server")).contains("pid=1 host=duo", "server-done");
        assertThat(f.log(id, "client")).contains("pid=1 host=duo", "shared=hello");
        assertThat(f.runtime.containers(id)).extracting(ContainerRuntimeStatus::name, ContainerRuntimeStatus::exitCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("server", 0), org.assertj.core.groups.Tuple.tuple("client", 0));
        assertThat(f.exitCounts.get(id)).as("one exit per pod").isEqualTo(1);
        assertThat(MountTable.mountPointsUnder(f.config.podsDir())).as("the memory volume is a tmpfs").hasSize(1);

        f.runtime.remove(id);

        assertThat(MountTable.mountPointsUnder(f.config.podsDir())).isEmpty();
    }

    @Test
    void initContainersRunInOrderBeforeTheContainers() throws Exception {
        PodSpec spec = PodSpec.newBuilder().setName("inits").addVolumes(emptyDir(false))
                .addInitContainers(container("first", "sh", "-c", "sleep 0.2; echo one >> /data/order").addVolumeMounts(DATA))
                .addInitContainers(container("second", "sh", "-c", "echo two >> /data/order").addVolumeMounts(DATA))
                .addContainers(container("main", "sh", "-c", "echo main >> /data/order; cat /data/order").addVolumeMounts(DATA))
                .build();

        String id = f.start(spec);

        assertThat(f.awaitExit(id).exitCode()).isZero();
        assertThat(f.log(id, "main")).isEqualTo("one\ntwo\nmain\n");
        List<ContainerRuntimeStatus> containers = f.runtime.containers(id);
        assertThat(containers).extracting(ContainerRuntimeStatus::name).containsExactly("first", "second", "main");
        assertThat(containers.get(0).init()).isTrue();
        assertThat(containers.get(0).finishedAt()).isBeforeOrEqualTo(containers.get(1).startedAt());
        assertThat(containers.get(1).finishedAt()).isBeforeOrEqualTo(containers.get(2).startedAt());
        assertThat(containers).allSatisfy(c -> assertThat(c.reason()).isEqualTo("Completed"));
    }

    @Test
    void aFailingInitContainerFailsThePodAndNamesItsExit() throws Exception {
        PodSpec spec = PodSpec.newBuilder().setName("badinit")
                .addInitContainers(container("migrate", "sh", "-c", "echo no database; exit 3"))
                .addContainers(container("main", "sh", "-c", "echo must not run"))
                .build();

        String id = f.start(spec);
        SandboxStatus status = f.awaitExit(id);

        assertThat(status.exitCode()).isEqualTo(3);
        List<ContainerRuntimeStatus> containers = f.runtime.containers(id);
        assertThat(PodStatuses.firstFailure(containers).orElseThrow().name()).isEqualTo("migrate");
        assertThat(containers.get(1).state()).isEqualTo(SandboxStatus.State.CREATED);
        assertThat(f.log(id, "main")).isEmpty();
        assertThat(f.exitCounts.get(id)).isEqualTo(1);
    }

    @Test
    void anOomKillInOneContainerNamesThatContainer() throws Exception {
        PodSpec spec = PodSpec.newBuilder().setName("hungry")
                .addContainers(container("hog", "tail", "/dev/zero"))
                .addContainers(container("calm", "sh", "-c", "sleep 0.3; echo calm"))
                .build();

        String id = f.start(spec);
        SandboxStatus status = f.awaitExit(id);

        assertThat(status.exitCode()).isEqualTo(137);
        assertThat(status.oomKilled()).isTrue();
        List<ContainerRuntimeStatus> containers = f.runtime.containers(id);
        assertThat(containers.get(0)).satisfies(c -> {
            assertThat(c.name()).isEqualTo("hog");
            assertThat(c.oomKilled()).isTrue();
            assertThat(c.reason()).isEqualTo(ContainerRuntimeStatus.OOM_KILLED);
        });
        assertThat(containers.get(1).oomKilled()).isFalse();
        assertThat(containers.get(1).exitCode()).isZero();
    }

    @Test
    void eachContainerHasItsOwnLimitedCgroupBelowThePodsAndStopAndRemoveLeaveNothing() throws Exception {
        PodSpec spec = PodSpec.newBuilder().setName("limits")
                .addContainers(container("a", "sleep", "30"))
                .addContainers(container("b", "sleep", "30").setResources(Resources.newBuilder().setCpuMillis(300).setMemoryBytes(48 * MI)))
                .build();
        String id = f.start(spec);
        Path memory = CGROUP_ROOT.resolve("memory").resolve(f.parent).resolve(id);
        Path cpu = CGROUP_ROOT.resolve("cpu").resolve(f.parent).resolve(id);

        assertThat(read(memory.resolve("a/memory.limit_in_bytes"))).isEqualTo(32 * MI);
        assertThat(read(memory.resolve("b/memory.limit_in_bytes"))).isEqualTo(48 * MI);
        assertThat(read(memory.resolve("memory.limit_in_bytes"))).isEqualTo(80 * MI + PodTranslator.PAUSE_MEMORY_BYTES);
        assertThat(read(cpu.resolve("cpu.cfs_quota_us"))).isEqualTo(50_000);
        assertThat(read(cpu.resolve("b/cpu.cfs_quota_us"))).isEqualTo(30_000);
        assertThat(memory.resolve(PodTranslator.PAUSE)).isDirectory();

        f.runtime.stop(id, Duration.ofMillis(200)); // sleep as pid 1 ignores TERM: both are killed after the grace
        SandboxStatus status = f.awaitExit(id);
        assertThat(status.exitCode()).isEqualTo(137);
        assertThat(f.runtime.containers(id)).allSatisfy(c -> assertThat(c.exitCode()).isEqualTo(137));

        f.runtime.remove(id);

        try (Stream<Path> hierarchies = Files.list(CGROUP_ROOT)) {
            assertThat(hierarchies.map(h -> h.resolve(f.parent).resolve(id)).filter(Files::exists)).isEmpty();
        }
        assertThat(f.runtime.list()).doesNotContain(id);
        assertThat(Files.exists(f.config.stateRoot()) ? Files.list(f.config.stateRoot()).toList() : List.of()).isEmpty();
        await().atMost(Duration.ofSeconds(2)).until(() -> f.exitCounts.get(id) == 1);
    }

    /** Not a check: numbers for the lead's report. */
    @Test
    void theContainersOfAPodStartSideBySideAndAllRunWhenStartReturns() throws Exception {
        String id = f.start(PodSpec.newBuilder().setName("trio").addContainers(container("a", "sleep", "30"))
                .addContainers(container("b", "sleep", "30")).addContainers(container("c", "sleep", "30")).build());

        List<ContainerRuntimeStatus> containers = f.runtime.containers(id);
        assertThat(containers).extracting(ContainerRuntimeStatus::name).containsExactly("a", "b", "c");
        assertThat(containers).allSatisfy(c -> {
            assertThat(c.running()).as(c.name()).isTrue();
            assertThat(c.startedAt()).as(c.name()).isNotNull();
        });
        assertThat(f.runtime.status(id).orElseThrow().startedAt()).isEqualTo(
                containers.stream().map(ContainerRuntimeStatus::startedAt).min(java.time.Instant::compareTo).orElseThrow());
    }

    @Test
    void oneContainerThatCannotStartAmongSeveralFailsTheStartAndTheOthersAreGoneToo() throws IOException {
        PodSpec spec = PodSpec.newBuilder().setName("broken-trio").addContainers(container("a", "sleep", "30"))
                .addContainers(container("b", "/no/such/program")).addContainers(container("c", "sleep", "30")).build();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.start(spec)).isInstanceOf(SandboxException.class)
                .hasMessageContaining("/no/such/program");

        assertThat(f.runtime.list()).isEmpty();
        for (Path folder : f.runtime.cgroups().folders("/" + f.parent)) {
            try (Stream<Path> children = Files.list(folder)) {
                assertThat(children.filter(Files::isDirectory)).as("pod cgroups left under %s", folder).isEmpty();
            }
        }
    }

    @Test
    void reportStartLatencyOfTheFasterPathBesideAPodWithPause() throws Exception {
        long[] lone = new long[3];
        long[] paused = new long[3];
        for (int i = 0; i < 3; i++) {
            long began = System.nanoTime();
            f.awaitExit(f.start(PodSpec.newBuilder().setName("lone").addContainers(container("main", "true")).build()));
            lone[i] = System.nanoTime() - began;
            began = System.nanoTime();
            f.awaitExit(f.start(PodSpec.newBuilder().setName("paused").addContainers(container("a", "true"))
                    .addContainers(container("b", "true")).build()));
            paused[i] = System.nanoTime() - began;
        }
        java.util.Arrays.sort(lone);
        java.util.Arrays.sort(paused);
        System.out.printf("[report] start-to-exit median: one container without pause %.1f ms; two containers with pause %.1f ms%n",
                lone[1] / 1e6, paused[1] / 1e6);
    }

    private static long read(Path file) throws IOException {
        return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
    }
}
