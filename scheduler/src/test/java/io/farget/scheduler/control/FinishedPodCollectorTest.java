package io.farget.scheduler.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.farget.common.PodIds;
import io.farget.common.Timestamps;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodStatus;
import io.farget.scheduler.state.ClusterReader;
import io.farget.scheduler.state.ClusterState;
import io.farget.scheduler.state.ClusterWriter;
import io.farget.scheduler.state.EpochFence;
import io.farget.scheduler.state.FencedOutException;
import io.farget.scheduler.state.ZkLayout;
import io.farget.scheduler.support.ZkStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.threeten.extra.MutableClock;

/** Finished pods leave ZooKeeper and the leader's memory once their retention is over, and nothing else does. */
class FinishedPodCollectorTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Duration RETENTION = Duration.ofHours(1);
    private final MutableClock clock = MutableClock.of(NOW, ZoneOffset.UTC);
    @RegisterExtension
    final ZkStore zk = new ZkStore();

    private static Pod pod(PodPhase phase, Instant finishedAt, String requestId) {
        PodStatus.Builder status = PodStatus.newBuilder().setPhase(phase).setCreatedAt(Timestamps.of(NOW.minusSeconds(86_400)));
        if (finishedAt != null) {
            status.setFinishedAt(Timestamps.of(finishedAt));
        }
        return Pod.newBuilder().setId(PodIds.newId()).setRequestId(requestId).setStatus(status).build();
    }

    private boolean stored(String path) throws Exception {
        return zk.client().checkExists().forPath(path) != null;
    }

    @Test
    void podsFinishedLongerAgoThanTheRetentionAreRemovedAndNothingElse() throws Exception {
        ClusterWriter writer = new ClusterWriter(zk.client(), EpochFence.takeNextEpoch(zk.client(), "a:1"));
        Pod old = pod(PodPhase.POD_PHASE_SUCCEEDED, NOW.minus(Duration.ofHours(2)), "req-old");
        Pod oldFailed = pod(PodPhase.POD_PHASE_FAILED, NOW.minus(RETENTION).minusSeconds(1), "");
        Pod recent = pod(PodPhase.POD_PHASE_SUCCEEDED, NOW.minus(Duration.ofMinutes(10)), "req-recent");
        Pod running = pod(PodPhase.POD_PHASE_RUNNING, null, "");
        Pod pending = pod(PodPhase.POD_PHASE_PENDING, null, "");
        List<Pod> all = List.of(old, oldFailed, recent, running, pending);
        writer.createPods(all);
        ClusterState state = new ClusterState(all, List.of());
        FinishedPodCollector collector = new FinishedPodCollector(state, writer, clock, RETENTION);

        assertThat(collector.collect()).isEqualTo(2);

        assertThat(stored(ZkLayout.pod(old.getId()))).isFalse();
        assertThat(stored(ZkLayout.request("req-old"))).as("its request id goes with it").isFalse();
        assertThat(stored(ZkLayout.pod(oldFailed.getId()))).isFalse();
        assertThat(state.pod(old.getId())).isEmpty();
        assertThat(state.podIdForRequest("req-old")).isEmpty();
        assertThat(new ClusterReader(zk.client()).loadPods()).extracting(Pod::getId)
                .containsExactlyInAnyOrder(recent.getId(), running.getId(), pending.getId());
        assertThat(state.pods()).extracting(Pod::getId).containsExactlyInAnyOrder(recent.getId(), running.getId(), pending.getId());
        assertThat(stored(ZkLayout.request("req-recent"))).isTrue();
        assertThat(collector.collect()).as("nothing more is due").isZero();

        clock.add(Duration.ofMinutes(51)); // the recent one is now 61 minutes finished
        assertThat(collector.collect()).isEqualTo(1);
        assertThat(state.pods()).extracting(Pod::getId).containsExactlyInAnyOrder(running.getId(), pending.getId());
    }

    @Test
    void aPodSomeoneElseAlreadyDeletedStillLeavesMemoryAndTheRestOfItsBatchIsDeleted() throws Exception {
        ClusterWriter writer = new ClusterWriter(zk.client(), EpochFence.takeNextEpoch(zk.client(), "a:1"));
        Pod gone = pod(PodPhase.POD_PHASE_SUCCEEDED, NOW.minus(Duration.ofHours(2)), "");
        Pod other = pod(PodPhase.POD_PHASE_SUCCEEDED, NOW.minus(Duration.ofHours(3)), "req-other");
        writer.createPods(List.of(gone, other));
        zk.client().delete().forPath(ZkLayout.pod(gone.getId())); // e.g. the batch of a leader that died half-way
        ClusterState state = new ClusterState(List.of(gone, other), List.of());

        assertThat(new FinishedPodCollector(state, writer, clock, RETENTION).collect()).isEqualTo(2);

        assertThat(stored(ZkLayout.pod(other.getId()))).isFalse();
        assertThat(stored(ZkLayout.request("req-other"))).isFalse();
        assertThat(state.pods()).isEmpty();
    }

    @Test
    void aDeposedLeaderRemovesNothing() throws Exception {
        ClusterWriter deposed = new ClusterWriter(zk.client(), EpochFence.takeNextEpoch(zk.client(), "a:1"));
        Pod old = pod(PodPhase.POD_PHASE_SUCCEEDED, NOW.minus(Duration.ofHours(2)), "");
        deposed.createPods(List.of(old));
        EpochFence.takeNextEpoch(zk.client(), "b:2");
        ClusterState state = new ClusterState(List.of(old), List.of());

        assertThatThrownBy(() -> new FinishedPodCollector(state, deposed, clock, RETENTION).collect())
                .isInstanceOf(FencedOutException.class);

        assertThat(stored(ZkLayout.pod(old.getId()))).isTrue();
        assertThat(state.pod(old.getId())).isPresent();
    }

    @Test
    void aNegativeRetentionIsRefused() {
        assertThatThrownBy(() -> new FinishedPodCollector(new ClusterState(List.of(), List.of()), null, clock, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
    }
}
