package io.farget.scheduler.api;

import io.farget.proto.v1.ListNodesRequest;
import io.farget.proto.v1.ListNodesResponse;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeServiceGrpc;
import io.farget.scheduler.leader.Leadership;
import io.farget.scheduler.state.ClusterReader;
import io.grpc.stub.StreamObserver;
import java.util.Comparator;

/** NodeService: the nodes with their allocation; served by any replica. */
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
}
