package io.farget.bench.cluster;

import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.CreatePodsRequest;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits M pods from C concurrent clients, in calls of B pods: each call a blocking CreatePods of B
 * pods (or, with B = 1, one CreatePod), every pod with a request id of its own, so a call retried on
 * another replica when a leader goes away creates each pod once. Optionally held to R pods per
 * second overall, or to the arrival times of a replayed trace ({@link PodPlan}). Remembers when each pod was first submitted.
 *
 * <p>With a rate, pod i is due at {@code start + i / R}, a call goes out when its last pod is due,
 * and each pod's latency counts from its own due time, not from when a client got round to it: a
 * slow scheduler that keeps every client waiting shows as latency instead of quietly lowering the
 * offered rate (no coordinated omission), and so does the wait for a batch to fill. Offering R
 * pods/s at L seconds of latency needs about R x L / B clients.
 */
final class PodLoad {
    private static final Logger log = LoggerFactory.getLogger(PodLoad.class);
    private static final long CALL_DEADLINE_SECONDS = 60;
    private static final long GIVE_UP_NANOS = TimeUnit.MINUTES.toNanos(3);

    private final Leaders leaders;
    private final String runId;
    private final PodPlan plan;
    private final int clients;
    private final int batch;
    private volatile long startNanos;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicInteger failed = new AtomicInteger();
    /** pod id -> System.nanoTime() of its first submission. */
    private final ConcurrentHashMap<String, Long> submittedAt = new ConcurrentHashMap<>();
    /** pod id -> System.nanoTime() when its create call was answered (the first time). */
    private final ConcurrentHashMap<String, Long> acknowledgedAt = new ConcurrentHashMap<>();

    PodLoad(Leaders leaders, String runId, PodPlan plan, int clients, int batch) {
        this.leaders = leaders;
        this.runId = runId;
        this.plan = plan;
        this.clients = clients;
        this.batch = batch;
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
        int from;
        while ((from = next.getAndAdd(batch)) < plan.size()) {
            int to = Math.min(plan.size(), from + batch);
            long[] due = new long[to - from];
            long now = System.nanoTime();
            for (int i = from; i < to; i++) {
                due[i - from] = plan.paced() ? startNanos + plan.dueAfterNanos(i) : now;
            }
            long wait;
            while ((wait = due[due.length - 1] - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            submit(from, due);
        }
    }

    /** Submits pods {@code from .. from + due.length - 1}, retrying the whole call with the same request ids until it is answered. */
    private void submit(int from, long[] due) {
        List<CreatePodRequest> requests = new ArrayList<>(due.length);
        for (int i = 0; i < due.length; i++) {
            requests.add(CreatePodRequest.newBuilder()
                    .setSpec(plan.spec(from + i))
                    .setRequestId(runId + "-" + (from + i))
                    .build());
        }
        CreatePodsRequest batchRequest = batch == 1 ? null : CreatePodsRequest.newBuilder().addAllPods(requests).build();
        while (true) {
            ManagedChannel channel = leaders.current();
            try {
                PodServiceGrpc.PodServiceBlockingStub stub = PodServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
                List<Pod> created = batchRequest == null ? List.of(stub.createPod(requests.get(0)))
                        : stub.createPods(batchRequest).getPodsList();
                long answered = System.nanoTime();
                for (int i = 0; i < created.size(); i++) {
                    submittedAt.putIfAbsent(created.get(i).getId(), due[i]);
                    acknowledgedAt.putIfAbsent(created.get(i).getId(), answered);
                }
                return;
            } catch (StatusRuntimeException e) {
                if (!leaders.shouldRetry(channel, e) || System.nanoTime() - due[0] > GIVE_UP_NANOS) {
                    log.warn("Gave up creating pods {}-{}: {}", from, from + due.length - 1, e.getStatus());
                    failed.addAndGet(due.length);
                    return;
                }
                retries.incrementAndGet();
                try {
                    Thread.sleep(50); // a new leader takes a moment to be elected; this is the client's backoff
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    failed.addAndGet(due.length);
                    return;
                }
            }
        }
    }

    /** How many pods this load submits. */
    int size() {
        return plan.size();
    }

    /** How many pods have been acknowledged so far. */
    int acknowledged() {
        return submittedAt.size();
    }

    ConcurrentHashMap<String, Long> submittedAt() {
        return submittedAt;
    }

    ConcurrentHashMap<String, Long> acknowledgedAt() {
        return acknowledgedAt;
    }

    long retries() {
        return retries.get();
    }

    int failed() {
        return failed.get();
    }
}
