package io.farget.bench;

import io.farget.common.PodPhases;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodEvent;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodServiceGrpc;
import io.farget.proto.v1.WatchPodsRequest;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Learns from one WatchPods stream when each pod first reads RUNNING (or ends), and when that news
 * arrived. Pushed, not polled: a client asking GetPod every half millisecond takes a core of a small
 * host away from the runc it is timing.
 */
final class RunningPods implements AutoCloseable {
    /** A pod as it first read RUNNING (or terminal), and when this client learned it ({@link System#nanoTime()}). */
    record Seen(Pod pod, long arrivedNanos) {}

    private final Map<String, CompletableFuture<Seen>> seen = new ConcurrentHashMap<>();
    private final Context.CancellableContext watch = Context.current().withCancellation();
    private final CountDownLatch subscribed = new CountDownLatch(1);

    RunningPods(PodServiceGrpc.PodServiceStub pods) throws InterruptedException {
        watch.run(() -> pods.watchPods(WatchPodsRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(PodEvent event) {
                long now = System.nanoTime();
                subscribed.countDown();
                Pod pod = event.getPod();
                PodPhase phase = pod.getStatus().getPhase();
                if (phase == PodPhase.POD_PHASE_RUNNING || PodPhases.isTerminal(phase)) {
                    futureOf(pod.getId()).complete(new Seen(pod, now));
                }
            }

            @Override
            public void onError(Throwable t) {
                subscribed.countDown();
                seen.values().forEach(f -> f.completeExceptionally(t));
            }

            @Override
            public void onCompleted() {
                onError(new IllegalStateException("the watch ended"));
            }
        }));
    }

    /**
     * Waits until the stream is live. An empty cluster sends nothing at first, so give up quietly
     * after {@code atMost}: the stream is subscribed on the leader loop before the first create anyway.
     */
    void awaitSubscribed(Duration atMost) throws InterruptedException {
        subscribed.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The pod as it first read RUNNING; fails when it ended instead, or did not start within {@code timeout}. */
    Seen awaitRunning(String podId, Duration timeout) throws InterruptedException {
        Seen s;
        try {
            s = futureOf(podId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("watching pod " + podId + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("pod " + podId + " did not reach RUNNING within " + timeout.toSeconds() + " s");
        }
        if (s.pod().getStatus().getPhase() != PodPhase.POD_PHASE_RUNNING) {
            throw new IllegalStateException("pod " + podId + " did not reach RUNNING: "
                    + PodPhases.name(s.pod().getStatus().getPhase()) + " " + s.pod().getStatus().getReason());
        }
        return s;
    }

    private CompletableFuture<Seen> futureOf(String podId) {
        return seen.computeIfAbsent(podId, id -> new CompletableFuture<>());
    }

    @Override
    public void close() {
        watch.cancel(null);
    }
}
