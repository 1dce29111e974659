package io.farget.scheduler.api;

import io.farget.common.FargetException;
import io.farget.proto.v1.CordonNodeRequest;
import io.farget.proto.v1.DrainNodeRequest;
import io.farget.proto.v1.ListNodesRequest;
import io.farget.proto.v1.ListNodesResponse;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeServiceGrpc;
import io.farget.proto.v1.UncordonNodeRequest;
import io.farget.scheduler.leader.Leadership;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Comparator;

/**
 * NodeService: the nodes with their allocation, served by any replica; cordon, uncordon and drain
 * need the leader (a standby refuses them naming it, and the CLI follows). Each sets a state, so a
 * retried request is harmless.
 */
public final class NodeServiceEndpoint extends NodeServiceGrpc.NodeServiceImplBase {
    private final Leadership leadership;
    private final Reads reads;

    public NodeServiceEndpoint(Leadership leadership, Reads reads) {
        this.leadership = leadership;
        this.reads = reads;
    }

    @Override
    public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> observer) {
        Calls.unary(observer, () -> ListNodesResponse.newBuilder()
                .addAllNodes(reads.now().nodes().stream()
                        .sorted(Comparator.comparing(Node::getId)).toList())
                .build());
    }

    @Override
    public void cordonNode(CordonNodeRequest request, StreamObserver<Node> observer) {
        Calls.unary(observer, () -> LeaderCalls.onLeader(leadership, term -> term.nodes().cordon(nodeId(request.getNodeId()))));
    }

    @Override
    public void uncordonNode(UncordonNodeRequest request, StreamObserver<Node> observer) {
        Calls.unary(observer, () -> LeaderCalls.onLeader(leadership, term -> term.nodes().uncordon(nodeId(request.getNodeId()))));
    }

    @Override
    public void drainNode(DrainNodeRequest request, StreamObserver<Node> observer) {
        Calls.unary(observer, () -> {
            if (request.getDeadlineMillis() < 0) {
                throw FargetException.invalid("deadline_millis", "must not be negative");
            }
            return LeaderCalls.onLeader(leadership, term -> term.nodes().drain(nodeId(request.getNodeId()), Duration.ofMillis(request.getDeadlineMillis())));
        });
    }

    private static String nodeId(String id) {
        if (id.isBlank()) {
            throw FargetException.invalid("node_id", "is required");
        }
        return id;
    }
}
