package io.farget.cli.support;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.farget.common.FargetException;
import io.farget.common.GrpcErrors;
import io.farget.proto.v1.ClusterServiceGrpc;
import io.farget.proto.v1.ClusterStatus;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.CreatePodsRequest;
import io.farget.proto.v1.CreatePodsResponse;
import io.farget.proto.v1.DeletePodRequest;
import io.farget.proto.v1.DesiredState;
import io.farget.proto.v1.GetLogsRequest;
import io.farget.proto.v1.GetPodRequest;
import io.farget.proto.v1.GetStatusRequest;
import io.farget.proto.v1.GetUsageRequest;
import io.farget.proto.v1.GetUsageResponse;
import io.farget.proto.v1.ListNodesRequest;
import io.farget.proto.v1.ListNodesResponse;
import io.farget.proto.v1.ListPodsRequest;
import io.farget.proto.v1.ListPodsResponse;
import io.farget.proto.v1.LogChunk;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeServiceGrpc;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodServiceGrpc;
import io.farget.proto.v1.PodStatus;
import io.farget.proto.v1.PodUsageRecord;
import io.farget.proto.v1.UsageServiceGrpc;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler stand-in: a real gRPC server on 127.0.0.1 whose services keep pods in a map, answer
 * with scripted nodes, usage, status and logs, and record every request they receive.
 */
public final class FakeScheduler implements AutoCloseable {
    public static final String POD_ID = "abcdefghijkl";

    /** Every request received, in order. */
    public final List<Message> requests = new CopyOnWriteArrayList<>();
    public final Map<String, Pod> pods = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    public final List<Node> nodes = new CopyOnWriteArrayList<>();
    public final List<PodUsageRecord> usage = new CopyOnWriteArrayList<>();
    public final List<ByteString> logChunks = new CopyOnWriteArrayList<>();
    public volatile ClusterStatus status = ClusterStatus.getDefaultInstance();
    public volatile io.farget.proto.v1.PlanPodResponse planAnswer = io.farget.proto.v1.PlanPodResponse.getDefaultInstance();
    /** When set, every call fails with it (after being recorded). */
    public volatile StatusRuntimeException failure;
    /** When set, every call is recorded and never answered (until the server stops). */
    public volatile boolean silent;
    /** Failures for the next calls, one each, before {@link #failure} or a normal answer. */
    public final java.util.Queue<StatusRuntimeException> nextFailures = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private final Server server;

    private FakeScheduler() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new Pods())
                .addService(new Nodes())
                .addService(new Usage())
                .addService(new Cluster())
                .build()
                .start();
    }

    /** The id CreatePods gives its item {@code index}. */
    public static String batchPodId(int index) {
        return String.format("batch%07d", index);
    }

    public static FakeScheduler start() throws IOException {
        return new FakeScheduler();
    }

    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    /** Makes every call answer like a standby that knows the leader. */
    public void actAsStandbyOf(String leader) {
        failure = GrpcErrors.toStatus(new io.farget.common.NotLeaderException(leader));
    }

    public void failWith(FargetException error) {
        failure = GrpcErrors.toStatus(error);
    }

    public <T extends Message> List<T> requestsOf(Class<T> type) {
        List<T> matching = new ArrayList<>();
        for (Message m : requests) {
            if (type.isInstance(m)) {
                matching.add(type.cast(m));
            }
        }
        return matching;
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records the request; false (having failed the call) when a failure is scripted. */
    private boolean accept(Message request, StreamObserver<?> response) {
        requests.add(request);
        if (silent) {
            return false;
        }
        StatusRuntimeException next = nextFailures.poll();
        StatusRuntimeException scripted = next != null ? next : failure;
        if (scripted != null) {
            response.onError(scripted);
            return false;
        }
        return true;
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }

    private final class Pods extends PodServiceGrpc.PodServiceImplBase {
        @Override
        public void createPod(CreatePodRequest request, StreamObserver<Pod> response) {
            if (!accept(request, response)) {
                return;
            }
            Pod pod = Pod.newBuilder()
                    .setId(POD_ID)
                    .setSpec(request.getSpec())
                    .setRequestId(request.getRequestId())
                    .setDesired(DesiredState.DESIRED_STATE_RUN)
                    .setStatus(PodStatus.newBuilder().setPhase(PodPhase.POD_PHASE_PENDING))
                    .build();
            pods.put(pod.getId(), pod);
            reply(response, pod);
        }

        /** Answers item i with pod id {@link #batchPodId}(i). */
        @Override
        public void createPods(CreatePodsRequest request, StreamObserver<CreatePodsResponse> response) {
            if (!accept(request, response)) {
                return;
            }
            CreatePodsResponse.Builder answer = CreatePodsResponse.newBuilder();
            for (int i = 0; i < request.getPodsCount(); i++) {
                CreatePodRequest item = request.getPods(i);
                Pod pod = Pod.newBuilder()
                        .setId(batchPodId(i))
                        .setSpec(item.getSpec())
                        .setRequestId(item.getRequestId())
                        .setDesired(DesiredState.DESIRED_STATE_RUN)
                        .setStatus(PodStatus.newBuilder().setPhase(PodPhase.POD_PHASE_PENDING))
                        .build();
                pods.put(pod.getId(), pod);
                answer.addPods(pod);
            }
            reply(response, answer.build());
        }

        @Override
        public void planPod(io.farget.proto.v1.PlanPodRequest request, StreamObserver<io.farget.proto.v1.PlanPodResponse> response) {
            if (accept(request, response)) {
                reply(response, planAnswer);
            }
        }

        @Override
        public void getPod(GetPodRequest request, StreamObserver<Pod> response) {
            if (!accept(request, response)) {
                return;
            }
            Pod pod = pods.get(request.getPodId());
            if (pod == null) {
                response.onError(GrpcErrors.toStatus(FargetException.notFound("pod " + request.getPodId())));
                return;
            }
            reply(response, pod);
        }

        @Override
        public void listPods(ListPodsRequest request, StreamObserver<ListPodsResponse> response) {
            if (accept(request, response)) {
                reply(response, ListPodsResponse.newBuilder().addAllPods(new ArrayList<>(pods.values())).build());
            }
        }

        @Override
        public void deletePod(DeletePodRequest request, StreamObserver<Pod> response) {
            if (!accept(request, response)) {
                return;
            }
            Pod pod = pods.get(request.getPodId());
            if (pod == null) {
                response.onError(GrpcErrors.toStatus(FargetException.notFound("pod " + request.getPodId())));
                return;
            }
            Pod killed = pod.toBuilder().setDesired(DesiredState.DESIRED_STATE_KILL).build();
            pods.put(killed.getId(), killed);
            reply(response, killed);
        }

        @Override
        public void getLogs(GetLogsRequest request, StreamObserver<LogChunk> response) {
            if (!accept(request, response)) {
                return;
            }
            if (!pods.containsKey(request.getPodId())) {
                response.onError(GrpcErrors.toStatus(FargetException.notFound("pod " + request.getPodId())));
                return;
            }
            for (ByteString chunk : logChunks) {
                response.onNext(LogChunk.newBuilder().setData(chunk).build());
            }
            response.onCompleted();
        }
    }

    private final class Nodes extends NodeServiceGrpc.NodeServiceImplBase {
        @Override
        public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> response) {
            if (accept(request, response)) {
                reply(response, ListNodesResponse.newBuilder().addAllNodes(nodes).build());
            }
        }
    }

    private final class Usage extends UsageServiceGrpc.UsageServiceImplBase {
        @Override
        public void getUsage(GetUsageRequest request, StreamObserver<GetUsageResponse> response) {
            if (!accept(request, response)) {
                return;
            }
            GetUsageResponse.Builder answer = GetUsageResponse.newBuilder();
            for (PodUsageRecord record : usage) {
                if (request.getPodId().isEmpty() || record.getPodId().equals(request.getPodId())) {
                    answer.addRecords(record);
                }
            }
            reply(response, answer.build());
        }
    }

    private final class Cluster extends ClusterServiceGrpc.ClusterServiceImplBase {
        @Override
        public void getStatus(GetStatusRequest request, StreamObserver<ClusterStatus> response) {
            if (accept(request, response)) {
                reply(response, status);
            }
        }
    }
}
