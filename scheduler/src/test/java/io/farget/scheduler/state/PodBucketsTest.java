package io.farget.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.common.PodIds;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodStatus;
import io.farget.scheduler.support.ZkStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every pod bucket exists once a leader took over, so a pod's creation is one ZooKeeper transaction. */
class PodBucketsTest {
    @RegisterExtension
    final ZkStore zk = new ZkStore();

    private static Pod pod(String id) {
        return Pod.newBuilder().setId(id).setStatus(PodStatus.newBuilder().setPhase(PodPhase.POD_PHASE_PENDING)).build();
    }

    private long createdZxid(String podId) throws Exception {
        return zk.client().checkExists().forPath(ZkLayout.pod(podId)).getCzxid();
    }

    @Test
    void takeoverCreatesTheMissingBucketsAndLeavesTheOthersAndTheirPodsAlone() throws Exception {
        ClusterWriter earlier = new ClusterWriter(zk.client(), EpochFence.takeNextEpoch(zk.client(), "a:1"));
        earlier.createPod(pod("qqaaaaaaaaaa"));

        ClusterWriter writer = new ClusterWriter(zk.client(), EpochFence.takeNextEpoch(zk.client(), "b:2"));
        writer.prepareBuckets();

        assertThat(zk.client().getChildren().forPath(ZkLayout.PODS)).hasSize(PodIds.ALPHABET.length() * PodIds.ALPHABET.length())
                .contains("qq", "aa", "77", "a2");
        assertThat(new ClusterReader(zk.client()).readPod("qqaaaaaaaaaa")).isPresent();
        assertThat(ZkLayout.allBuckets()).contains(ZkLayout.bucketOf(PodIds.newId()));
    }

    @Test
    void aPodInABucketNoPodUsedYetIsCreatedInOneTransaction() throws Exception {
        ClusterWriter writer = new ClusterWriter(zk.client(), EpochFence.takeNextEpoch(zk.client(), "a:1"));
        writer.prepareBuckets();

        writer.createPods(List.of(pod("bbaaaaaaaaaa")));
        writer.createPods(List.of(pod("ccaaaaaaaaaa")));

        // Consecutive transactions: no bucket was created in between.
        assertThat(createdZxid("ccaaaaaaaaaa")).isEqualTo(createdZxid("bbaaaaaaaaaa") + 1);
    }
}
