package io.farget.scheduler.api;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.farget.common.FargetException;
import io.farget.common.PodSpecs;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.CreatePodsRequest;
import io.farget.proto.v1.CreatePodsResponse;
import io.farget.proto.v1.DeletePodRequest;
import io.farget.proto.v1.ExecRequest;
import io.farget.proto.v1.ExecResponse;
import io.farget.proto.v1.GetLogsRequest;
import io.farget.proto.v1.GetPodRequest;
import io.farget.proto.v1.ListPodsRequest;
import io.farget.proto.v1.ListPodsResponse;
import io.farget.proto.v1.LogChunk;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodEvent;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodServiceGrpc;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PlanPodRequest;
import io.farget.proto.v1.PlanPodResponse;
import io.farget.proto.v1.WatchPodsRequest;
import io.farget.scheduler.control.NewPod;
import io.farget.scheduler.control.PodControl;
import io.farget.scheduler.leader.LeaderTerm;
import io.farget.scheduler.leader.Leadership;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * PodService: validate, then call the leader's services. Writes, watches and logs need the leader
 * (a standby refuses them naming it); reads are served by any replica.
 */
public final class PodServiceEndpoint extends PodServiceGrpc.PodServiceImplBase {
    private static final Comparator<Pod> OLDEST_FIRST = Comparator
            .comparingLong((Pod p) -> p.getStatus().getCreatedAt().getSeconds())
            .thenComparingInt(p -> p.getStatus().getCreatedAt().getNanos())
            .thenComparing(Pod::getId);

    private final Leadership leadership;
    private final Reads reads;
    /** Serializes and sends watch events off the leader loop; a thread lives only while some watcher has events to take. */
    private final Executor watchSenders = Executors.newCachedThreadPool(
            new ThreadFactoryBuilder().setNameFormat("farget-watch-sender-%d").setDaemon(true).build());

    /** Sends the answers of creates, which the leader loop completes (see {@link Calls#unaryLater}). */
    private final Executor answerSenders = Executors.newCachedThreadPool(
            new ThreadFactoryBuilder().setNameFormat("farget-answer-sender-%d").setDaemon(true).build());

    public PodServiceEndpoint(Leadership leadership, Reads reads) {
        this.leadership = leadership;
        this.reads = reads;
    }

    @Override
    public void createPod(CreatePodRequest request, StreamObserver<Pod> observer) {
        Calls.unaryLater(observer, answerSenders, () -> {
            PodSpec spec = PodSpecs.validateAndNormalize(request.getSpec());
            PodControl.validateRequestId(request.getRequestId());
            return LeaderCalls.onLeaderLater(leadership, term -> term.pods().create(spec, request.getRequestId()));
        });
    }

    /** Validates every item first (one bad item stores nothing), then creates them all as one unit of leader work. */
    @Override
    public void createPods(CreatePodsRequest request, StreamObserver<CreatePodsResponse> observer) {
        Calls.unaryLater(observer, answerSenders, () -> {
            List<NewPod> pods = CreatePodsValidator.validate(request);
            return LeaderCalls.onLeaderLater(leadership, term -> term.pods().createAll(pods))
                    .thenApply(created -> CreatePodsResponse.newBuilder().addAllPods(created).build());
        });
    }

    @Override
    public void getPod(GetPodRequest request, StreamObserver<Pod> observer) {
        Calls.unary(observer, () -> reads().pod(request.getPodId())
                .orElseThrow(() -> FargetException.notFound("pod " + request.getPodId())));
    }

    @Override
    public void listPods(ListPodsRequest request, StreamObserver<ListPodsResponse> observer) {
        Calls.unary(observer, () -> {
            Set<PodPhase> phases = request.getPhasesList().isEmpty()
                    ? EnumSet.allOf(PodPhase.class)
                    : EnumSet.copyOf(request.getPhasesList());
            return ListPodsResponse.newBuilder().addAllPods(reads().pods().stream()
                    .filter(p -> phases.contains(p.getStatus().getPhase()))
                    .sorted(OLDEST_FIRST)
                    .toList()).build();
        });
    }

    @Override
    public void deletePod(DeletePodRequest request, StreamObserver<Pod> observer) {
        Calls.unary(observer, () -> LeaderCalls.onLeader(leadership, term -> term.pods().delete(request.getPodId())));
    }

    @Override
    public void watchPods(WatchPodsRequest request, StreamObserver<PodEvent> observer) {
        ServerCallStreamObserver<PodEvent> out = (ServerCallStreamObserver<PodEvent>) observer;
        String wanted = request.getPodId();
        PodWatchStream listener = new PodWatchStream(out, wanted, watchSenders);
        try {
            LeaderTerm term = leader();
            out.setOnCancelHandler(() -> term.state().removeListener(listener));
            // On the loop, so no change slips between the current pods and the subscription.
            term.loop().call(() -> {
                if (!wanted.isEmpty() && term.state().pod(wanted).isEmpty()) {
                    throw FargetException.notFound("pod " + wanted);
                }
                term.state().pods().stream().sorted(OLDEST_FIRST).forEach(listener::changed);
                term.state().addListener(listener);
                return null;
            });
        } catch (RuntimeException e) {
            Calls.fail(observer, e);
        }
    }

    @Override
    public void getLogs(GetLogsRequest request, StreamObserver<LogChunk> observer) {
        ServerCallStreamObserver<LogChunk> out = (ServerCallStreamObserver<LogChunk>) observer;
        try {
            LeaderTerm term = leader();
            AtomicReference<String> relay = new AtomicReference<>();
            out.setOnCancelHandler(() -> {
                String id = relay.get();
                if (id != null) {
                    term.logs().cancel(id);
                }
            });
            relay.set(term.logs().open(request, new GrpcLogSink(out)));
            if (out.isCancelled()) {
                term.logs().cancel(relay.get());
            }
        } catch (RuntimeException e) {
            Calls.fail(observer, e);
        }
    }

    @Override
    public StreamObserver<ExecRequest> exec(StreamObserver<ExecResponse> observer) {
        return new ExecCall(leadership, (ServerCallStreamObserver<ExecResponse>) observer);
    }

    /** Dry run on the leader: validate the spec as CreatePod would, then ask placement where it would go. */
    @Override
    public void planPod(PlanPodRequest request, StreamObserver<PlanPodResponse> observer) {
        Calls.unary(observer, () -> {
            PodSpec spec = PodSpecs.validateAndNormalize(request.getSpec());
            int top = request.getTop() > 0 ? Math.min(request.getTop(), 100) : 5;
            return LeaderCalls.onLeader(leadership, term -> term.dryRun(spec, top));
        });
    }

    private LeaderTerm leader() {
        return leadership.requireLeader();
    }

    private ReadModel reads() {
        return reads.now();
    }
}
