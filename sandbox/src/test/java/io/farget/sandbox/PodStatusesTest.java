package io.farget.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodStatusesTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void theFirstContainerToFailDecidesTheExitCodeAndAnyOomKillMarksThePod() {
        List<ContainerRuntimeStatus> containers = List.of(
                ContainerRuntimeStatus.exited("a", false, 0, false, T0, T0.plusSeconds(1)),
                ContainerRuntimeStatus.exited("b", false, 137, true, T0, T0.plusSeconds(5)),
                ContainerRuntimeStatus.exited("c", false, 2, false, T0, T0.plusSeconds(3)));

        SandboxStatus status = PodStatuses.exited(containers, T0, T0.plusSeconds(9));

        assertThat(PodStatuses.firstFailure(containers).orElseThrow().name()).isEqualTo("c");
        assertThat(status.exitCode()).isEqualTo(2);
        assertThat(status.oomKilled()).isTrue();
        assertThat(status.finishedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void allZeroIsSuccess() {
        SandboxStatus status = PodStatuses.exited(List.of(ContainerRuntimeStatus.exited("a", false, 0, false, T0, T0)), T0, T0);
        assertThat(status.exitCode()).isZero();
        assertThat(status.oomKilled()).isFalse();
    }

    @Test
    void theFakeRuntimeReportsContainersToo() throws Exception {
        try (FakeRuntime fake = new FakeRuntime()) {
            var spec = io.farget.proto.v1.PodSpec.newBuilder().setName("p")
                    .addInitContainers(io.farget.proto.v1.ContainerSpec.newBuilder().setName("init"))
                    .addContainers(io.farget.proto.v1.ContainerSpec.newBuilder().setName("a")).build();
            fake.start(new SandboxRequest("abcdefghijkl", 1, spec));

            assertThat(fake.containers("abcdefghijkl")).extracting(ContainerRuntimeStatus::name, ContainerRuntimeStatus::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("init", SandboxStatus.State.EXITED),
                            org.assertj.core.groups.Tuple.tuple("a", SandboxStatus.State.RUNNING));
            fake.finish("abcdefghijkl", 137, true);
            assertThat(fake.containers("abcdefghijkl").get(1).reason()).isEqualTo(ContainerRuntimeStatus.OOM_KILLED);
        }
    }
}
