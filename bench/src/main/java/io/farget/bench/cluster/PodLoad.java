package io.farget.bench.cluster;

import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Submits M pods from C concurrent clients, each a blocking CreatePod with a request id of its
 * own (retried on another replica, with the same id, when a leader goes away), optionally held to R
 * pods per second overall. Remembers when each pod was first submitted.
 *
 * <p>With a rate, pod i is due at {@code start + i / R} and its latency counts from then, not from
 * when a client got round to it: a slow scheduler that keeps every client waiting shows as latency
 * instead of quietly lowering the offered rate (no coordinated omission). Offering R pods/s at L
 * seconds of latency needs about R x L clients.
 */
final class PodLoad {
    private static final long CALL_DEADLINE_SECONDS = 60;
    private static final long GIVE_UP_NANOS = TimeUnit.MINUTES.toNanos(3);

    private final Leaders leaders;
    private final String runId;
    private final int pods;
    private final int clients;
    private final double rate;
    private volatile long startNanos;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicInteger failed = new AtomicInteger();
    /** pod id -> System.nanoTime() of its first submission. */
    private final ConcurrentHashMap<String, Long> submittedAt = new ConcurrentHashMap<>();

    PodLoad(Leaders leaders, String runId, int pods, int clients, double rate) {
        this.leaders = leaders;
        this.runId = runId;
        this.pods = pods;
        this.clients = clients;
        this.rate = rate;
    }

    /** Submits every pod; returns when all are acknowledged (or given up, counted in {@link #failed}). */
    void run() throws InterruptedException {
        startNanos = System.nanoTime();
        List<Thread> threads = new ArrayList<>(clients);
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(this::submitLoop, "bench-client-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void submitLoop() {
        int index;
        while ((index = next.getAndIncrement()) < pods) {
            long due = System.nanoTime();
            if (rate > 0) {
                due = startNanos + (long) (index * 1e9 / rate);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            submit(index, due);
        }
    }

    private void submit(int index, long first) {
        CreatePodRequest request = CreatePodRequest.newBuilder()
                .setSpec(PodMix.spec(index))
                .setRequestId(runId + "-" + index)
                .build();
        while (true) {
            ManagedChannel channel = leaders.current();
            try {
                Pod pod = PodServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                        .createPod(request);
                submittedAt.putIfAbsent(pod.getId(), first);
                return;
            } catch (StatusRuntimeException e) {
                if (!leaders.shouldRetry(channel, e) || System.nanoTime() - first > GIVE_UP_NANOS) {
                    failed.incrementAndGet();
                    return;
                }
                retries.incrementAndGet();
                try {
                    Thread.sleep(50); // a new leader takes a moment to be elected; this is the client's backoff
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    failed.incrementAndGet();
                    return;
                }
            }
        }
    }

    /** How many pods have been acknowledged so far. */
    int acknowledged() {
        return submittedAt.size();
    }

    ConcurrentHashMap<String, Long> submittedAt() {
        return submittedAt;
    }

    long retries() {
        return retries.get();
    }

    int failed() {
        return failed.get();
    }
}
