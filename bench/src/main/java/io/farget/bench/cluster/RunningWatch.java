package io.farget.bench.cluster;

import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodEvent;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodServiceGrpc;
import io.farget.proto.v1.WatchPodsRequest;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches every pod as a user would (WatchPods on the leader) and notes when each was first seen
 * RUNNING. When the stream breaks (a leader change), it watches again on the next replica; the new
 * leader's first answer is every pod as it is, so nothing reached meanwhile is missed.
 */
final class RunningWatch implements AutoCloseable {
    private final Leaders leaders;
    private final ScheduledExecutorService timer;
    /** pod id -> System.nanoTime() when first seen RUNNING (or SUCCEEDED, see {@link #ran}). */
    private final ConcurrentHashMap<String, Long> runningAt = new ConcurrentHashMap<>();
    /** Only pods whose request id starts with this count (a shared ZooKeeper may hold other pods). */
    private final String requestPrefix;
    private final AtomicInteger running = new AtomicInteger();
    private volatile Context.CancellableContext call;
    private volatile boolean closed;

    RunningWatch(Leaders leaders, ScheduledExecutorService timer, String requestPrefix) {
        this.leaders = leaders;
        this.timer = timer;
        this.requestPrefix = requestPrefix;
    }

    void start() {
        if (closed) {
            return;
        }
        ManagedChannel channel = leaders.current();
        Context.CancellableContext context = Context.current().withCancellation();
        call = context;
        context.run(() -> PodServiceGrpc.newStub(channel).watchPods(WatchPodsRequest.getDefaultInstance(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(PodEvent event) {
                        Pod pod = event.getPod();
                        if (ran(pod.getStatus().getPhase()) && pod.getRequestId().startsWith(requestPrefix)
                                && runningAt.putIfAbsent(pod.getId(), System.nanoTime()) == null) {
                            running.incrementAndGet();
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        if (t instanceof StatusRuntimeException e) {
                            leaders.shouldRetry(channel, e);
                        }
                        again();
                    }

                    @Override
                    public void onCompleted() {
                        again();
                    }
                }));
    }

    /**
     * RUNNING, or SUCCEEDED: a pod that ends within moments (a replayed trace's) may reach a watcher
     * that lags only in its newest version, and it must have run. Its time is then an upper bound.
     */
    private static boolean ran(PodPhase phase) {
        return phase == PodPhase.POD_PHASE_RUNNING || phase == PodPhase.POD_PHASE_SUCCEEDED;
    }

    private void again() {
        if (!closed) {
            timer.schedule(this::start, 100, TimeUnit.MILLISECONDS);
        }
    }

    /** How many of this run's pods were seen RUNNING. */
    int runningCount() {
        return running.get();
    }

    ConcurrentHashMap<String, Long> runningAt() {
        return runningAt;
    }

    @Override
    public void close() {
        closed = true;
        Context.CancellableContext c = call;
        if (c != null) {
            c.cancel(null);
        }
    }
}
