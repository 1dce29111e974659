package io.farget.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.agent.capacity.HostFacts;
import io.farget.agent.state.AgentCheckpoint;
import io.farget.common.ResourceMath;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.KillPod;
import io.farget.proto.v1.LaunchPod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodSpec;
import io.farget.sandbox.FakeRuntime;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the node's pods reserve follows them as they are admitted, refused, fail to start and end. */
class PodSupervisorAllocationTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dataDir;

    private final FakeRuntime fake = new FakeRuntime();
    private final List<PodReport> reports = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeRuntime() {
        fake.close();
    }

    @Test
    void podsReserveFromAdmissionUntilTheyEnd() {
        fake.setScripts(r -> r.podId().equals("broken") ? FakeRuntime.Script.failToStart("no image") : FakeRuntime.Script.runForever());
        PodSupervisor supervisor = supervisor();

        supervisor.launch(launch("a", 1, 300));
        supervisor.launch(launch("b", 1, 300));
        assertThat(supervisor.allocated()).isEqualTo(ResourceMath.of(600, 600 * MIB));

        supervisor.launch(launch("c", 1, 500));
        assertThat(reports).last().satisfies(r -> {
            assertThat(r.getPodId()).isEqualTo("c");
            assertThat(r.getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        });
        assertThat(supervisor.allocated()).as("a refused pod reserves nothing").isEqualTo(ResourceMath.of(600, 600 * MIB));

        supervisor.launch(launch("broken", 1, 100));
        assertThat(supervisor.allocated()).as("a pod that failed to start reserves nothing").isEqualTo(ResourceMath.of(600, 600 * MIB));

        fake.finish("a", 0, false);
        assertThat(supervisor.allocated()).isEqualTo(ResourceMath.of(300, 300 * MIB));

        supervisor.kill(KillPod.newBuilder().setPodId("b").build());
        supervisor.kill(KillPod.newBuilder().setPodId("b").build()); // twice: freed once
        fake.finish("b", 1, false); // an exit after the kill's: already ended
        assertThat(supervisor.allocated()).isEqualTo(ResourceMath.ZERO);

        supervisor.launch(launch("a", 2, 400));
        assertThat(supervisor.allocated()).as("the next attempt of an ended pod").isEqualTo(ResourceMath.of(400, 400 * MIB));
        supervisor.shutdownPods(Duration.ofSeconds(1));
        assertThat(supervisor.allocated()).isEqualTo(ResourceMath.ZERO);
    }

    private PodSupervisor supervisor() {
        HostFacts host = new HostFacts("h", "linux", Arch.ARCH_X86_64, ResourceMath.of(1000, 1000 * MIB));
        PodSupervisor supervisor = new PodSupervisor("node-a", host, fake, AgentCheckpoint.open(dataDir.resolve("c.json")),
                Runnable::run, Clock.systemUTC(), PodPolicy.defaults(), reports::add);
        supervisor.attach();
        return supervisor;
    }

    private static LaunchPod launch(String podId, int attempt, long millicores) {
        return LaunchPod.newBuilder().setPodId(podId).setAttempt(attempt).setSpec(PodSpec.newBuilder().setName(podId)
                .addContainers(ContainerSpec.newBuilder().setName("main").setResources(ResourceMath.of(millicores, millicores * MIB))))
                .build();
    }
}
