package io.farget.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake answers like runc: containers as the pod is, and container stats that add up to the pod's. */
class FakeRuntimeTest {
    private static final PodSpec TWO_CONTAINERS = PodSpec.newBuilder().setName("p")
            .addContainers(ContainerSpec.newBuilder().setName("web"))
            .addContainers(ContainerSpec.newBuilder()) // nameless: "main", as runc names it
            .build();

    @Test
    void containersStayAsTheyAreWhileThePodRunsAndShowItsExit() throws Exception {
        try (FakeRuntime fake = new FakeRuntime()) {
            fake.start(new SandboxRequest("abcdefghijkl", 1, TWO_CONTAINERS));

            List<ContainerRuntimeStatus> running = fake.containers("abcdefghijkl");
            assertThat(running).extracting(ContainerRuntimeStatus::name).containsExactly("web", "main");
            assertThat(running).allSatisfy(c -> assertThat(c.state()).isEqualTo(SandboxStatus.State.RUNNING));
            assertThat(fake.containers("abcdefghijkl")).isEqualTo(running);

            fake.finish("abcdefghijkl", 3, false);

            assertThat(fake.containers("abcdefghijkl")).extracting(ContainerRuntimeStatus::exitCode).containsExactly(3, 3);
            fake.remove("abcdefghijkl");
            assertThat(fake.containers("abcdefghijkl")).isEmpty();
        }
    }

    @Test
    void containerStatsShareThePodsCountersAndStopWithIt() throws Exception {
        try (FakeRuntime fake = new FakeRuntime()) {
            fake.setScripts(r -> FakeRuntime.Script.runForever().withUsage(1_000_000_000L, 1001));
            fake.start(new SandboxRequest("abcdefghijkl", 1, TWO_CONTAINERS));
            fake.finish("abcdefghijkl", 0, false);

            SandboxStats pod = fake.stats("abcdefghijkl").orElseThrow();
            List<ContainerStats> containers = fake.containerStats("abcdefghijkl");

            assertThat(containers).extracting(ContainerStats::name).containsExactly("web", "main");
            assertThat(containers.stream().mapToLong(c -> c.stats().memoryBytes()).sum()).isEqualTo(pod.memoryBytes()).isEqualTo(1001);
            assertThat(containers.stream().mapToLong(c -> c.stats().cpuNanos()).sum()).isEqualTo(pod.cpuNanos());
            assertThat(fake.containerStats("unknown")).isEmpty();
        }
    }
}
