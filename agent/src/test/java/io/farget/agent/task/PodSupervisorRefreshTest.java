package io.farget.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status refresh reads a running pod's containers only when the runtime tells of a change, or cannot tell. */
class PodSupervisorRefreshTest {
    @TempDir
    Path dataDir;

    private final FakeRuntime fake = new FakeRuntime();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final List<PodReport> reports = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeRuntime() {
        fake.close();
    }

    @Test
    void aRuntimeThatTellsChangesIsReadOnlyWhenToldAndByTheSafetyPoll() {
        WatchedRuntime runtime = new WatchedRuntime(fake, true);
        PodSupervisor supervisor = runningPod(runtime);
        supervisor.refresh(); // the first safety poll
        int reads = runtime.containerReads.get();

        for (int i = 0; i < 5; i++) {
            supervisor.refresh();
        }
        assertThat(runtime.containerReads).as("no reads between changes").hasValue(reads);

        runtime.restarted.set(1);
        runtime.tell("p1");
        supervisor.refresh();
        assertThat(runtime.containerReads).hasValue(reads + 1);
        assertThat(reports.get(reports.size() - 1).getContainers(0).getRestartCount()).isEqualTo(1);

        clock.advance(PodSupervisor.CONTAINER_SAFETY_POLL);
        supervisor.refresh();
        assertThat(runtime.containerReads).as("the safety poll").hasValue(reads + 2);
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

    private static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
