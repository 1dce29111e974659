package io.farget.scheduler.api;

import io.farget.common.FargetException;
import io.farget.common.ResourceMath;
import io.farget.proto.v1.GetUsageRequest;
import io.farget.proto.v1.GetUsageResponse;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodUsageRecord;
import io.farget.proto.v1.UsageServiceGrpc;
import io.farget.scheduler.leader.Leadership;
import io.farget.scheduler.state.ClusterReader;
import io.grpc.stub.StreamObserver;
import java.util.Comparator;
import java.util.List;

/** UsageService: per pod, what it reserved and what it used; served by any replica. */
public final class UsageServiceEndpoint extends UsageServiceGrpc.UsageServiceImplBase {
    private final Leadership leadership;
    private final ClusterReader reader;

    public UsageServiceEndpoint(Leadership leadership, ClusterReader reader) {
        this.leadership = leadership;
        this.reader = reader;
    }

    @Override
    public void getUsage(GetUsageRequest request, StreamObserver<GetUsageResponse> observer) {
        Calls.unary(observer, () -> {
            ReadModel reads = ReadModel.of(leadership, reader);
            List<Pod> pods = request.getPodId().isEmpty()
                    ? reads.pods().stream().sorted(Comparator.comparing(Pod::getId)).toList()
                    : List.of(reads.pod(request.getPodId())
                            .orElseThrow(() -> FargetException.notFound("pod " + request.getPodId())));
            return GetUsageResponse.newBuilder().addAllRecords(pods.stream().map(UsageServiceEndpoint::record).toList()).build();
        });
    }

    static PodUsageRecord record(Pod pod) {
        return PodUsageRecord.newBuilder()
                .setPodId(pod.getId())
                .setPodName(pod.getSpec().getName())
                .setNodeId(pod.getStatus().getNodeId())
                .setArch(pod.getSpec().getArch())
                .setReserved(ResourceMath.podSize(pod.getSpec()))
                .setUsage(pod.getUsage())
                .setStartedAt(pod.getStatus().getStartedAt())
                .setFinishedAt(pod.getStatus().getFinishedAt())
                .build();
    }
}
