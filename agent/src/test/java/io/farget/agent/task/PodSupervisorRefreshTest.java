package io.farget.agent.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.farget.agent.capacity.HostFacts;
import io.farget.agent.state.AgentCheckpoint;
import io.farget.common.ResourceMath;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.LaunchPod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodSpec;
import io.farget.sandbox.ContainerRuntimeStatus;
import io.farget.sandbox.FakeRuntime;
import io.farget.sandbox.SandboxException;
import io.farget.sandbox.SandboxRequest;
import io.farget.sandbox.SandboxRuntime;
import io.farget.sandbox.SandboxStats;
import io.farget.sandbox.SandboxStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;
import org.junit.jupiter.api.io.TempDir;

/** The status refresh reads a running pod's containers only when the runtime tells of a change, or cannot tell. */
class PodSupervisorRefreshTest {
    @TempDir
    Path dataDir;

    private final FakeRuntime fake = new FakeRuntime();
    private final MutableClock clock = MutableClock.of(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);
    private final List<PodReport> reports = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeRuntime() {
        fake.close();
    }

    @Test
    void aRuntimeThatTellsChangesIsReadOnlyWhenToldAndByTheSafetyPoll() {
        WatchedRuntime runtime = new WatchedRuntime(fake, true);
        PodSupervisor supervisor = runningPod(runtime);
        assertThat(supervisor.refreshDue()).as("the first safety poll").isTrue();
        supervisor.refresh();
        int reads = runtime.containerReads.get();

        for (int i = 0; i < 5; i++) {
            assertThat(supervisor.refreshDue()).isFalse();
            supervisor.refresh();
        }
        assertThat(runtime.containerReads).as("no reads between changes").hasValue(reads);

        runtime.restarted.set(1);
        runtime.tell("p1");
        assertThat(supervisor.refreshDue()).isTrue();
        supervisor.refresh();
        assertThat(runtime.containerReads).hasValue(reads + 1);
        assertThat(reports.get(reports.size() - 1).getContainers(0).getRestartCount()).isEqualTo(1);

        int reported = reports.size();
        runtime.tell("p1"); // told, but nothing changed: read, not reported
        supervisor.refresh();
        assertThat(runtime.containerReads).hasValue(reads + 2);
        assertThat(reports).hasSize(reported);
        assertThat(supervisor.refreshDue()).isFalse();

        clock.add(PodSupervisor.CONTAINER_SAFETY_POLL);
        assertThat(supervisor.refreshDue()).isTrue();
        supervisor.refresh();
        assertThat(runtime.containerReads).as("the safety poll").hasValue(reads + 3);
        supervisor.shutdownPods(Duration.ofSeconds(1));
    }

    @Test
    void aRuntimeThatCannotTellIsReadOnEveryRefresh() {
        WatchedRuntime runtime = new WatchedRuntime(fake, false);
        PodSupervisor supervisor = runningPod(runtime);
        int reads = runtime.containerReads.get();

        supervisor.refresh();
        runtime.restarted.set(2);
        supervisor.refresh();

        assertThat(runtime.containerReads).hasValue(reads + 2);
        assertThat(reports.get(reports.size() - 1).getContainers(0).getRestartCount()).isEqualTo(2);
        assertThat(reports).extracting(PodReport::getReportSeq).isSorted().doesNotHaveDuplicates();
        supervisor.shutdownPods(Duration.ofSeconds(1));
    }

    @Test
    void aRefreshEndsWhileManyPodsAreStillStarting() throws Exception {
        CountDownLatch startsHeld = new CountDownLatch(1);
        fake.setScripts(request -> {
            awaitQuietly(startsHeld); // every pod stays SCHEDULED, so each refresh keeps watching it
            return FakeRuntime.Script.runForever();
        });
        WatchedRuntime runtime = new WatchedRuntime(fake, true);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            HostFacts host = new HostFacts("h", "linux", Arch.ARCH_X86_64, ResourceMath.of(1_000_000, 1L << 40));
            PodSupervisor supervisor = new PodSupervisor("node-a", host, runtime, AgentCheckpoint.open(dataDir.resolve("c.json")),
                    workers, clock, PodPolicy.defaults(), reports::add);
            supervisor.attach();
            for (int i = 0; i < 500; i++) {
                supervisor.launch(LaunchPod.newBuilder().setPodId("p" + i).setAttempt(1).setSpec(PodSpec.newBuilder().setName("web")
                        .addContainers(ContainerSpec.newBuilder().setName("main").setResources(ResourceMath.of(100, 1 << 20)))).build());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.find("p499").isPresent());

            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                supervisor.refresh(); // the first safety poll: every pod
                supervisor.refresh(); // the watched ones: all 500, each put back as it is still starting
            });
            assertThat(supervisor.refreshDue()).as("still starting: watched").isTrue();
        } finally {
            startsHeld.countDown();
            workers.shutdownNow();
            // Starts already running still write the checkpoint: let them finish before the
            // temporary folder is deleted under them.
            assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).as("workers stopped").isTrue();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private PodSupervisor runningPod(SandboxRuntime runtime) {
        HostFacts host = new HostFacts("h", "linux", Arch.ARCH_X86_64, ResourceMath.of(4000, 8L << 30));
        PodSupervisor supervisor = new PodSupervisor("node-a", host, runtime, AgentCheckpoint.open(dataDir.resolve("c.json")),
                Runnable::run, clock, PodPolicy.defaults(), reports::add);
        supervisor.attach();
        supervisor.launch(LaunchPod.newBuilder().setPodId("p1").setAttempt(1).setSpec(PodSpec.newBuilder().setName("web")
                .addContainers(ContainerSpec.newBuilder().setName("main").setResources(ResourceMath.of(100, 1 << 20)))).build());
        assertThat(reports).last().extracting(PodReport::getPhase).isEqualTo(PodPhase.POD_PHASE_RUNNING);
        return supervisor;
    }

    /** The fake runtime, counting container reads; its containers show {@code restarted} restarts. */
    private static final class WatchedRuntime implements SandboxRuntime {
        final AtomicInteger containerReads = new AtomicInteger();
        final AtomicInteger restarted = new AtomicInteger();
        private final FakeRuntime fake;
        private final boolean tells;
        private volatile ContainerListener listener = podId -> { };

        WatchedRuntime(FakeRuntime fake, boolean tells) {
            this.fake = fake;
            this.tells = tells;
        }

        void tell(String podId) {
            listener.changed(podId);
        }

        @Override
        public List<ContainerRuntimeStatus> containers(String podId) {
            containerReads.incrementAndGet();
            return fake.containers(podId).stream().map(c -> c.withRestartCount(restarted.get())).toList();
        }

        @Override
        public boolean onContainerChange(ContainerListener listener) {
            this.listener = listener;
            return tells;
        }

        @Override
        public void start(SandboxRequest request) throws SandboxException {
            fake.start(request);
        }

        @Override
        public void stop(String podId, Duration grace) {
            fake.stop(podId, grace);
        }

        @Override
        public void remove(String podId) {
            fake.remove(podId);
        }

        @Override
        public Optional<SandboxStatus> status(String podId) {
            return fake.status(podId);
        }

        @Override
        public Optional<SandboxStats> stats(String podId) {
            return fake.stats(podId);
        }

        @Override
        public Path logFile(String podId, String container) {
            return fake.logFile(podId, container);
        }

        @Override
        public List<String> list() {
            return fake.list();
        }

        @Override
        public void onExit(ExitListener listener) {
            fake.onExit(listener);
        }

        @Override
        public void close() {
            fake.close();
        }
    }
}
