package io.farget.scheduler.api;

import io.farget.common.FargetException;
import io.farget.common.PodPhases;
import io.farget.common.Timestamps;
import io.farget.proto.v1.ClusterServiceGrpc;
import io.farget.proto.v1.ClusterStatus;
import io.farget.proto.v1.GetStatusRequest;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeState;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.SchedulerInfo;
import io.farget.scheduler.leader.LeaderTerm;
import io.farget.scheduler.leader.Leadership;
import io.farget.scheduler.state.ClusterReader;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

/**
 * ClusterService.GetStatus: who leads, which replicas live, whether ZooKeeper is reachable, and
 * counts of nodes by state and pods by phase. Answers as much as it can even when ZooKeeper is not.
 */
public final class ClusterServiceEndpoint extends ClusterServiceGrpc.ClusterServiceImplBase {
    private final Leadership leadership;
    private final ClusterReader reader;
    private final Reads reads;
    private final CuratorFramework client;
    private final Clock clock;

    public ClusterServiceEndpoint(Leadership leadership, ClusterReader reader, Reads reads, CuratorFramework client, Clock clock) {
        this.leadership = leadership;
        this.reader = reader;
        this.reads = reads;
        this.client = client;
        this.clock = clock;
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<ClusterStatus> observer) {
        Calls.unary(observer, this::status);
    }

    private ClusterStatus status() {
        ClusterStatus.Builder b = ClusterStatus.newBuilder().setTime(Timestamps.of(clock.instant()));
        boolean connected = client.getZookeeperClient().isConnected();
        b.setZookeeper(connected ? "ok" : "not connected to " + client.getZookeeperClient().getCurrentConnectionString());
        Optional<LeaderTerm> term = leadership.current();
        String leader = leadership.leaderAddress().orElse("");
        b.setLeader(leader);
        if (!connected) {
            // Without ZooKeeper no replica leads; answer at once, with the counts this replica last knew.
            b.addSchedulers(SchedulerInfo.newBuilder().setAddress(leadership.address())
                    .setRole(term.isPresent() ? "leader" : "standby"));
            try {
                ReadModel remembered = reads.now();
                countNodes(b, remembered.nodes());
                countPods(b, remembered.pods());
            } catch (FargetException nothingKnown) {
                // the zookeeper field already says why
            }
            return b.build();
        }
        b.addAllSchedulers(schedulers(leader));
        try {
            b.setLeaderEpoch(term.map(LeaderTerm::epoch).orElseGet(reader::epoch));
            ReadModel current = reads.now();
            countNodes(b, current.nodes());
            countPods(b, current.pods());
        } catch (FargetException e) {
            b.setZookeeper("error: " + e.getMessage());
        }
        return b.build();
    }

    private List<SchedulerInfo> schedulers(String leader) {
        List<String> addresses = new ArrayList<>();
        try {
            addresses.addAll(reader.schedulers());
        } catch (FargetException e) {
            addresses.add(leadership.address()); // ZooKeeper is out of reach: we know of ourselves only
        }
        return addresses.stream()
                .map(a -> SchedulerInfo.newBuilder().setAddress(a).setRole(a.equals(leader) ? "leader" : "standby").build())
                .toList();
    }

    private static void countNodes(ClusterStatus.Builder b, List<Node> nodes) {
        for (NodeState s : NodeState.values()) {
            if (s != NodeState.NODE_STATE_UNSPECIFIED && s != NodeState.UNRECOGNIZED) {
                b.putNodesByState(stateName(s), 0);
            }
        }
        nodes.forEach(n -> b.putNodesByState(stateName(n.getState()), b.getNodesByStateOrDefault(stateName(n.getState()), 0) + 1));
    }

    private static void countPods(ClusterStatus.Builder b, Collection<Pod> pods) {
        for (PodPhase p : PodPhase.values()) {
            if (p != PodPhase.POD_PHASE_UNSPECIFIED && p != PodPhase.UNRECOGNIZED) {
                b.putPodsByPhase(PodPhases.name(p), 0);
            }
        }
        pods.forEach(p -> {
            String name = PodPhases.name(p.getStatus().getPhase());
            b.putPodsByPhase(name, b.getPodsByPhaseOrDefault(name, 0) + 1);
        });
    }

    private static String stateName(NodeState state) {
        return state.name().startsWith("NODE_STATE_") ? state.name().substring("NODE_STATE_".length()) : state.name();
    }
}
