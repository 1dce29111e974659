package io.farget.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.common.Timestamps;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ClusterStatus;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.ContainerState;
import io.farget.proto.v1.ContainerStatus;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeState;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PodStatus;
import io.farget.proto.v1.PodUsage;
import io.farget.proto.v1.PodUsageRecord;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.RestartPolicy;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ViewsTest {
    private static final Instant T0 = Instant.parse("2026-11-28T15:20:31.123Z");

    @Test
    void aPodIsSizedBySumOfItsContainersAndUsesTheUsersNames() {
        Pod pod = Pod.newBuilder().setId("p1")
                .setSpec(PodSpec.newBuilder().setName("web").setArch(Arch.ARCH_AARCH64)
                        .setRestart(RestartPolicy.RESTART_POLICY_ON_FAILURE)
                        .addContainers(container("a", 250, 64L << 20))
                        .addContainers(container("b", 1000, 32L << 20))
                        .addInitContainers(container("init", 500, 16L << 20)))
                .setStatus(PodStatus.newBuilder().setPhase(PodPhase.POD_PHASE_RUNNING).setNodeId("n1").setAttempt(2)
                        .setIp("10.88.0.7").setCreatedAt(Timestamps.of(T0))
                        .addContainers(ContainerStatus.newBuilder().setName("a").setState(ContainerState.CONTAINER_STATE_RUNNING))
                        .addContainers(ContainerStatus.newBuilder().setName("init").setState(ContainerState.CONTAINER_STATE_EXITED)
                                .setHasExitCode(true).setExitCode(0)))
                .build();

        PodView view = Views.pod(pod);

        assertThat(view.phase()).isEqualTo("RUNNING");
        assertThat(view.node()).isEqualTo("n1");
        assertThat(view.ip()).isEqualTo("10.88.0.7");
        assertThat(view.reason()).isNull();
        assertThat(view.exitCode()).isNull();
        assertThat(view.createdAt()).isEqualTo(T0);
        assertThat(view.startedAt()).isNull();
        assertThat(view.resources()).isEqualTo(new ResourcesView(new java.math.BigDecimal("1.25"), 96L << 20));
        assertThat(view.arch()).isEqualTo("aarch64");
        assertThat(view.restart()).isEqualTo("on-failure");
        assertThat(view.attempt()).isEqualTo(2);
        assertThat(view.containers()).containsExactly(
                new ContainerView("a", "RUNNING", null, null, 0),
                new ContainerView("b", "WAITING", null, null, 0));
        assertThat(view.initContainers()).containsExactly(new ContainerView("init", "EXITED", 0, null, 0));
    }

    @Test
    void anExitCodeOfZeroIsStillAnExitCode() {
        Pod pod = Pod.newBuilder().setId("p1").setSpec(PodSpec.newBuilder().setName("x"))
                .setStatus(PodStatus.newBuilder().setPhase(PodPhase.POD_PHASE_SUCCEEDED).setHasExitCode(true).setExitCode(0))
                .build();

        assertThat(Views.pod(pod).exitCode()).isZero();
        assertThat(Views.pod(pod).ip()).as("no address: null, never an empty string").isNull();
        assertThat(Views.pod(pod).phase()).isEqualTo("SUCCEEDED");
    }

    @Test
    void nodesDropTheEnumPrefixes() {
        NodeView view = Views.node(Node.newBuilder().setId("n1").setHostname("h").setArch(Arch.ARCH_X86_64)
                .setState(NodeState.NODE_STATE_NOT_READY)
                .setCapacity(Resources.newBuilder().setCpuMillis(4000).setMemoryBytes(8L << 30))
                .build());

        assertThat(view.arch()).isEqualTo("x86_64");
        assertThat(view.state()).isEqualTo("NOT_READY");
        assertThat(view.capacity().cpu().toPlainString()).isEqualTo("4");
        assertThat(view.allocated().cpu().toPlainString()).isEqualTo("0");
        assertThat(view.agentVersion()).isNull();
        assertThat(view.lastHeartbeatAt()).isNull();
    }

    @Test
    void usageTurnsNanosIntoSecondsAndAddsTheBill() {
        PodUsageRecord record = PodUsageRecord.newBuilder().setPodId("p1").setArch(Arch.ARCH_X86_64)
                .setReserved(Resources.newBuilder().setCpuMillis(1000).setMemoryBytes(1L << 30))
                .setUsage(PodUsage.newBuilder().setCpuNanos(1_500_000_000L).setMemoryByteSeconds(3L))
                .setStartedAt(Timestamps.of(T0))
                .build();

        UsageView view = Views.usage(record, T0.plusSeconds(90), RateCard.DEFAULT);

        assertThat(view.cpuSeconds().toPlainString()).isEqualTo("1.5");
        assertThat(view.memoryByteSeconds()).isEqualTo(3);
        assertThat(view.billedSeconds()).isEqualTo(90);
        assertThat(view.billedVcpuSeconds()).isEqualByComparingTo("90");
        assertThat(view.finishedAt()).isNull();
        assertThat(view.node()).isNull();
    }

    @Test
    void statusCountsUsePlainStateNamesWhateverTheServerSent() {
        StatusView view = Views.status(ClusterStatus.newBuilder()
                .putNodesByState("NODE_STATE_READY", 1)
                .putPodsByPhase("RUNNING", 2)
                .putPodsByPhase("POD_PHASE_PENDING", 3)
                .build());

        assertThat(view.nodes()).containsEntry("READY", 1);
        assertThat(view.pods()).containsEntry("RUNNING", 2).containsEntry("PENDING", 3);
        assertThat(view.leader()).isNull();
    }

    private static ContainerSpec container(String name, long cpuMillis, long memoryBytes) {
        return ContainerSpec.newBuilder().setName(name).addCommand("true")
                .setResources(Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryBytes(memoryBytes))
                .build();
    }
}
