package io.farget.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.agent.capacity.HostFacts;
import io.farget.agent.state.AgentCheckpoint;
import io.farget.common.ResourceMath;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PodUsage;
import io.farget.sandbox.FakeRuntime;
import io.farget.sandbox.SandboxRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-adoption after a crash: the usage of a pod that outlived its agent goes on above whatever was sent. */
class PodSupervisorAdoptionTest {
    @TempDir
    Path dataDir;

    private final FakeRuntime runtime = new FakeRuntime();
    private final List<PodReport> reports = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeRuntime() {
        runtime.close();
    }

    private PodSupervisor supervisor() {
        HostFacts host = new HostFacts("h", "linux", Arch.ARCH_X86_64, ResourceMath.of(4000, 8L << 30));
        PodSupervisor supervisor = new PodSupervisor("node-a", host, runtime, AgentCheckpoint.open(dataDir.resolve("c.json")),
                Runnable::run, Clock.systemUTC(), PodPolicy.defaults(), reports::add);
        supervisor.attach();
        return supervisor;
    }

    private void leftRunningByAnEarlierAgent(String podId) throws Exception {
        runtime.setScripts(r -> FakeRuntime.Script.runForever().withUsage(1_000_000_000L, 1 << 20));
        runtime.start(new SandboxRequest(podId, 3, PodSpec.newBuilder().setName("web")
                .addContainers(ContainerSpec.newBuilder().setName("main").setResources(ResourceMath.of(100, 1 << 20))).build()));
    }

    @Test
    void anAdoptedPodsSamplesContinueFarAboveTheJournaledOnesWithTheirCounters() throws Exception {
        leftRunningByAnEarlierAgent("p1");
        PodUsage journaled = PodUsage.newBuilder().setSampleSeq(7).setCpuNanos(5).setMemoryByteSeconds(1234).build();
        PodSupervisor supervisor = supervisor();

        assertThat(supervisor.adoptEarlierPods((id, attempt) -> attempt == 3 ? Optional.of(journaled) : Optional.empty())).isEqualTo(1);

        PodUsage next = supervisor.sampleUsage().get(0).getUsage();
        assertThat(next.getSampleSeq()).isEqualTo(7 + PodSupervisor.SAMPLE_SEQ_GAP + 1);
        assertThat(next.getMemoryByteSeconds()).isGreaterThanOrEqualTo(1234);
        assertThat(reports).isEmpty(); // the current state goes into the next Register
        supervisor.shutdownPods(java.time.Duration.ofSeconds(1));
    }

    @Test
    void anAdoptedPodWhoseCountersWereNeverJournaledStillJumpsAboveTheSamplesSentBeforeTheCrash() throws Exception {
        leftRunningByAnEarlierAgent("p1"); // its start sample went out, the round that would journal it never came
        PodSupervisor supervisor = supervisor();

        supervisor.adoptEarlierPods((id, attempt) -> Optional.empty());

        assertThat(supervisor.sampleUsage().get(0).getUsage().getSampleSeq()).isGreaterThan(PodSupervisor.SAMPLE_SEQ_GAP);
        supervisor.shutdownPods(java.time.Duration.ofSeconds(1));
    }
}
