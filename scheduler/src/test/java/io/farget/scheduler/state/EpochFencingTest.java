package io.farget.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodStatus;
import io.farget.scheduler.support.Zk;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EpochFencingTest {
    private TestingServer server;
    private CuratorFramework oldLeader;
    private CuratorFramework newLeader;

    @BeforeEach
    void start() throws Exception {
        server = Zk.startServer();
        oldLeader = Zk.client(server);
        newLeader = Zk.client(server);
    }

    @AfterEach
    void stop() {
        Zk.closeQuietly(oldLeader, newLeader, server);
    }

    private static Pod pod(String id, PodPhase phase, String requestId) {
        return Pod.newBuilder().setId(id).setRequestId(requestId).setStatus(PodStatus.newBuilder().setPhase(phase)).build();
    }

    @Test
    void eachLeaderTakesAHigherEpoch() {
        long first = EpochFence.takeNextEpoch(oldLeader, "a:1").epoch();
        long second = EpochFence.takeNextEpoch(newLeader, "b:2").epoch();

        assertThat(second).isGreaterThan(first);
        assertThat(EpochFence.current(oldLeader)).isEqualTo(second);
    }

    @Test
    void aDeposedLeadersWritesFailAsAWhole() throws Exception {
        ClusterWriter deposed = new ClusterWriter(oldLeader, EpochFence.takeNextEpoch(oldLeader, "a:1"));
        deposed.createPod(pod("aaaaaaaaaaaa", PodPhase.POD_PHASE_PENDING, ""));
        ClusterWriter current = new ClusterWriter(newLeader, EpochFence.takeNextEpoch(newLeader, "b:2"));

        assertThatThrownBy(() -> deposed.savePods(List.of(pod("aaaaaaaaaaaa", PodPhase.POD_PHASE_RUNNING, ""))))
                .isInstanceOf(FencedOutException.class);
        assertThatThrownBy(() -> deposed.createPod(pod("bbbbbbbbbbbb", PodPhase.POD_PHASE_PENDING, "r1")))
                .isInstanceOf(FencedOutException.class);

        ClusterReader reader = new ClusterReader(newLeader);
        assertThat(reader.readPod("aaaaaaaaaaaa")).get().extracting(p -> p.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        assertThat(reader.readPod("bbbbbbbbbbbb")).isEmpty();
        assertThat(newLeader.checkExists().forPath(ZkLayout.request("r1"))).isNull();

        current.savePods(List.of(pod("aaaaaaaaaaaa", PodPhase.POD_PHASE_RUNNING, "")));
        assertThat(reader.readPod("aaaaaaaaaaaa")).get().extracting(p -> p.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_RUNNING);
    }

    @Test
    void aRequestIdCreatesOnePodOnly() {
        ClusterWriter writer = new ClusterWriter(oldLeader, EpochFence.takeNextEpoch(oldLeader, "a:1"));

        assertThat(writer.createPod(pod("cccccccccccc", PodPhase.POD_PHASE_PENDING, "same"))).isEmpty();
        assertThat(writer.createPod(pod("dddddddddddd", PodPhase.POD_PHASE_PENDING, "same"))).isEqualTo(Optional.of("cccccccccccc"));

        assertThat(new ClusterReader(oldLeader).loadPods()).extracting(Pod::getId).containsExactly("cccccccccccc");
    }

    @Test
    void podsAreSpreadOverBucketsAndLoadBack() {
        ClusterWriter writer = new ClusterWriter(oldLeader, EpochFence.takeNextEpoch(oldLeader, "a:1"));
        for (String id : List.of("aaaaaaaaaaa1", "aaaaaaaaaaa2", "bbaaaaaaaaaa", "zzaaaaaaaaaa")) {
            writer.createPod(pod(id, PodPhase.POD_PHASE_PENDING, ""));
        }

        assertThat(new ClusterReader(newLeader).loadPods()).extracting(Pod::getId)
                .containsExactlyInAnyOrder("aaaaaaaaaaa1", "aaaaaaaaaaa2", "bbaaaaaaaaaa", "zzaaaaaaaaaa");
        assertThat(ZkLayout.pod("bbaaaaaaaaaa")).isEqualTo("/farget/pods/bb/bbaaaaaaaaaa");
    }
}
