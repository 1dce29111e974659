package io.farget.scheduler.control;

import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Group commit for pod creation: requests arriving while one batch is being stored wait for the
 * next, which stores them all together (a ZooKeeper multi-op per up to 100 pods instead of a round
 * trip and a disk sync per pod). The caller that finds no batch running runs one on the leader
 * loop and waits for it; the others wait for their own answer.
 */
final class CreateQueue {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Requests stored per loop task, so other leader work (reports, placement) is not starved. */
    static final int MAX_PER_BATCH = 1_000;

    record Request(PodSpec spec, String requestId, CompletableFuture<Pod> answer) {}

    private final LeaderLoop loop;
    private final Function<List<Request>, List<Pod>> store;
    private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    /** {@code store} runs on the loop and answers each request of a batch (in order). */
    CreateQueue(LeaderLoop loop, Function<List<Request>, List<Pod>> store) {
        this.loop = loop;
        this.store = store;
    }

    Pod create(PodSpec spec, String requestId) {
        Request request = new Request(spec, requestId, new CompletableFuture<>());
        queue.add(request);
        if (draining.compareAndSet(false, true)) {
            try {
                loop.call(() -> {
                    drain();
                    return null;
                });
            } catch (RuntimeException e) {
                draining.set(false);
                failQueued(e);
            }
        }
        return LeaderLoop.answer(request.answer(), WAIT);
    }

    /** On the loop: stores everything queued, batch by batch. */
    private void drain() {
        draining.set(false); // a request added from here on starts (or joins) the next drain
        while (!queue.isEmpty()) {
            List<Request> batch = new ArrayList<>();
            Request r;
            while (batch.size() < MAX_PER_BATCH && (r = queue.poll()) != null) {
                batch.add(r);
            }
            try {
                List<Pod> pods = store.apply(batch);
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).answer().complete(pods.get(i));
                }
            } catch (RuntimeException e) {
                batch.forEach(b -> b.answer().completeExceptionally(e));
                throw e; // the loop ends the leadership when fenced
            }
        }
    }

    private void failQueued(RuntimeException e) {
        Request r;
        while ((r = queue.poll()) != null) {
            r.answer().completeExceptionally(e);
        }
    }
}
