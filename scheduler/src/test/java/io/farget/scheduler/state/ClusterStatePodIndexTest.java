package io.farget.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pod indexes (pending, active per node, request ids) through a pod's life. */
class ClusterStatePodIndexTest {
    private final ClusterState state = new ClusterState(List.of(), List.of());

    private static Pod pod(PodPhase phase, String nodeId) {
        return Pod.newBuilder().setId("p1").setRequestId("r1")
                .setStatus(PodStatus.newBuilder().setPhase(phase).setNodeId(nodeId)).build();
    }

    @Test
    void aPodMovesThroughTheIndexesAsItsPhaseAndNodeChange() {
        state.putPod(pod(PodPhase.POD_PHASE_PENDING, ""));
        assertThat(state.pendingPods()).extracting(Pod::getId).containsExactly("p1");
        assertThat(state.podIdForRequest("r1")).contains("p1");
        assertThat(state.activePodCount()).isZero();

        state.putPod(pod(PodPhase.POD_PHASE_SCHEDULED, "n1"));
        state.putPod(pod(PodPhase.POD_PHASE_RUNNING, "n1")); // same node: stays counted once
        assertThat(state.hasPending()).isFalse();
        assertThat(state.activePodsOn("n1")).extracting(p -> p.getStatus().getPhase()).containsExactly(PodPhase.POD_PHASE_RUNNING);
        assertThat(state.activePodCount()).isEqualTo(1);

        state.putPod(pod(PodPhase.POD_PHASE_PENDING, "")); // node lost: back to pending
        assertThat(state.activePodsOn("n1")).isEmpty();
        assertThat(state.pendingPods()).hasSize(1);

        state.putPod(pod(PodPhase.POD_PHASE_SCHEDULED, "n2"));
        state.putPod(pod(PodPhase.POD_PHASE_SUCCEEDED, "n2"));
        assertThat(state.activePodsOn("n2")).isEmpty();
        assertThat(state.activePodCount()).isZero();
        assertThat(state.hasPending()).isFalse();
        assertThat(state.podIdForRequest("r1")).contains("p1");
    }

    @Test
    void storedPodsAreIndexedAtLoad() {
        ClusterState loaded = new ClusterState(List.of(pod(PodPhase.POD_PHASE_RUNNING, "n1")), List.of());
        assertThat(loaded.activePodsOn("n1")).hasSize(1);
        assertThat(loaded.pendingPods()).isEmpty();
    }
}
