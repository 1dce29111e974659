package io.farget.cli.client;

import io.farget.proto.v1.ClusterServiceGrpc;
import io.farget.proto.v1.NodeServiceGrpc;
import io.farget.proto.v1.PodServiceGrpc;
import io.farget.proto.v1.UsageServiceGrpc;
import io.grpc.Channel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Blocking stubs on one scheduler's channel, each carrying the command's deadline (none when null). */
public record Stubs(Channel channel, Duration deadline) {

    public PodServiceGrpc.PodServiceBlockingStub pods() {
        PodServiceGrpc.PodServiceBlockingStub stub = PodServiceGrpc.newBlockingStub(channel);
        return deadline == null ? stub : stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public NodeServiceGrpc.NodeServiceBlockingStub nodes() {
        NodeServiceGrpc.NodeServiceBlockingStub stub = NodeServiceGrpc.newBlockingStub(channel);
        return deadline == null ? stub : stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public UsageServiceGrpc.UsageServiceBlockingStub usage() {
        UsageServiceGrpc.UsageServiceBlockingStub stub = UsageServiceGrpc.newBlockingStub(channel);
        return deadline == null ? stub : stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public ClusterServiceGrpc.ClusterServiceBlockingStub cluster() {
        ClusterServiceGrpc.ClusterServiceBlockingStub stub = ClusterServiceGrpc.newBlockingStub(channel);
        return deadline == null ? stub : stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
}
