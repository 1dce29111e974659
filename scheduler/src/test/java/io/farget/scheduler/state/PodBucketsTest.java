package io.farget.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.common.PodIds;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodStatus;
import io.farget.scheduler.support.Zk;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every pod bucket exists once a leader took over, so a pod's creation is one ZooKeeper transaction. */
class PodBucketsTest {
    private TestingServer server;
    private CuratorFramework client;

    @BeforeEach
    void start() throws Exception {
        server = Zk.startServer();
        client = Zk.client(server);
    }

    @AfterEach
    void stop() {
        Zk.closeQuietly(client, server);
    }

    private static Pod pod(String id) {
        return Pod.newBuilder().setId(id).setStatus(PodStatus.newBuilder().setPhase(PodPhase.POD_PHASE_PENDING)).build();
    }

    private long createdZxid(String podId) throws Exception {
        return client.checkExists().forPath(ZkLayout.pod(podId)).getCzxid();
    }

    @Test
    void takeoverCreatesTheMissingBucketsAndLeavesTheOthersAndTheirPodsAlone() throws Exception {
        EpochFence.ensureBaseNodes(client);
        ClusterWriter earlier = new ClusterWriter(client, EpochFence.takeNextEpoch(client, "a:1"));
        earlier.createPod(pod("qqaaaaaaaaaa"));

        ClusterWriter writer = new ClusterWriter(client, EpochFence.takeNextEpoch(client, "b:2"));
        writer.prepareBuckets();

        assertThat(client.getChildren().forPath(ZkLayout.PODS)).hasSize(PodIds.ALPHABET.length() * PodIds.ALPHABET.length())
                .contains("qq", "aa", "77", "a2");
        assertThat(new ClusterReader(client).readPod("qqaaaaaaaaaa")).isPresent();
        assertThat(ZkLayout.allBuckets()).contains(ZkLayout.bucketOf(PodIds.newId()));
    }

    @Test
    void aPodInABucketNoPodUsedYetIsCreatedInOneTransaction() throws Exception {
        EpochFence.ensureBaseNodes(client);
        ClusterWriter writer = new ClusterWriter(client, EpochFence.takeNextEpoch(client, "a:1"));
        writer.prepareBuckets();

        writer.createPods(List.of(pod("bbaaaaaaaaaa")));
        writer.createPods(List.of(pod("ccaaaaaaaaaa")));

        // Consecutive transactions: no bucket was created in between.
        assertThat(createdZxid("ccaaaaaaaaaa")).isEqualTo(createdZxid("bbaaaaaaaaaa") + 1);
    }
}
