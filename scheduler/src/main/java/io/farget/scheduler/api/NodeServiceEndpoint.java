package io.farget.scheduler.api;

import io.farget.common.FargetException;
import io.farget.common.NotLeaderException;
import io.farget.proto.v1.CordonNodeRequest;
import io.farget.proto.v1.DrainNodeRequest;
import io.farget.proto.v1.ListNodesRequest;
import io.farget.proto.v1.ListNodesResponse;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeServiceGrpc;
import io.farget.proto.v1.UncordonNodeRequest;
import io.farget.scheduler.control.NodeControl;
import io.farget.scheduler.leader.Leadership;
import io.farget.scheduler.state.ClusterReader;
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
    private final ClusterReader reader;

    public NodeServiceEndpoint(Leadership leadership, ClusterReader reader) {
        this.leadership = leadership;
        this.reader = reader;
    }

    @Override
    public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> observer) {
        Calls.unary(observer, () -> ListNodesResponse.newBuilder()
                .addAllNodes(ReadModel.of(leadership, reader).nodes().stream()
                        .sorted(Comparator.comparing(Node::getId)).toList())
                .build());
    }

    @Override
    public void cordonNode(CordonNodeRequest request, StreamObserver<Node> observer) {
        Calls.unary(observer, () -> control().cordon(nodeId(request.getNodeId())));
    }

    @Override
    public void uncordonNode(UncordonNodeRequest request, StreamObserver<Node> observer) {
        Calls.unary(observer, () -> control().uncordon(nodeId(request.getNodeId())));
    }

    @Override
    public void drainNode(DrainNodeRequest request, StreamObserver<Node> observer) {
        Calls.unary(observer, () -> {
            if (request.getDeadlineMillis() < 0) {
                throw FargetException.invalid("deadline_millis", "must not be negative");
            }
            return control().drain(nodeId(request.getNodeId()), Duration.ofMillis(request.getDeadlineMillis()));
        });
    }

    private static String nodeId(String id) {
        if (id.isBlank()) {
            throw FargetException.invalid("node_id", "is required");
        }
        return id;
    }

    private NodeControl control() {
        return leadership.current().orElseThrow(() -> new NotLeaderException(leadership.leaderAddress().orElse(null))).nodes();
    }
}
