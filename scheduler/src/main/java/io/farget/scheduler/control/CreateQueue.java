package io.farget.scheduler.control;

import io.farget.proto.v1.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Group commit for pod creation: submissions arriving while one batch is being stored wait for the
 * next, which stores them all together (a ZooKeeper multi-op per up to 100 pods instead of a round
 * trip and a disk sync per pod). The caller that finds no batch running queues one on the leader
 * loop; the others only wait for their own answer. A submission is one call's pods (one
 * for CreatePod, up to a thousand for CreatePods): it is queued, handed to the loop and answered as
 * one, and never split between two batches. Nobody blocks a thread for it: the answer is a future
 * completed on the loop once the batch is in ZooKeeper.
 */
final class CreateQueue {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Pods stored per loop task, so other leader work (reports, placement) is not starved. */
    static final int MAX_PER_BATCH = 1_000;

    private record Submission(List<NewPod> pods, CompletableFuture<List<Pod>> answer) {}

    private final LeaderLoop loop;
    private final Function<List<NewPod>, List<Pod>> store;
    private final ConcurrentLinkedQueue<Submission> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    /** {@code store} runs on the loop and answers each pod of a batch (in order). */
    CreateQueue(LeaderLoop loop, Function<List<NewPod>, List<Pod>> store) {
        this.loop = loop;
        this.store = store;
    }

    /**
     * Queues {@code pods} to be stored together; the future answers each, in order, once they are in
     * ZooKeeper. It fails with the store's exception, with a {@link java.util.concurrent.CancellationException}
     * when the term ends first, or with a {@link java.util.concurrent.TimeoutException} after
     * {@link #WAIT} (the pods may still be stored: the caller retries with the same request ids).
     */
    CompletableFuture<List<Pod>> submit(List<NewPod> pods) {
        Submission submission = new Submission(List.copyOf(pods), new CompletableFuture<>());
        queue.add(submission);
        if (draining.compareAndSet(false, true)) {
            loop.run(this::drain).whenComplete((ran, failure) -> {
                if (failure != null) {
                    draining.set(false);
                    failQueued(LeaderLoop.failure(failure));
                }
            });
        }
        return submission.answer().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** On the loop: stores everything queued, batch by batch. */
    private void drain() {
        draining.set(false); // a submission added from here on starts (or joins) the next drain
        Submission carried = null; // taken from the queue but too big for the batch it came to
        while (carried != null || !queue.isEmpty()) {
            List<Submission> batch = new ArrayList<>();
            List<NewPod> pods = new ArrayList<>();
            Submission s;
            while ((s = carried != null ? carried : queue.poll()) != null) {
                carried = null;
                if (!pods.isEmpty() && pods.size() + s.pods().size() > MAX_PER_BATCH) {
                    carried = s;
                    break;
                }
                batch.add(s);
                pods.addAll(s.pods());
            }
            if (batch.isEmpty()) {
                return;
            }
            try {
                store(batch, pods);
            } catch (RuntimeException e) {
                if (carried != null) {
                    carried.answer().completeExceptionally(e);
                }
                throw e;
            }
        }
    }

    private void store(List<Submission> batch, List<NewPod> pods) {
        List<Pod> answers;
        try {
            answers = store.apply(pods);
        } catch (RuntimeException e) {
            batch.forEach(b -> b.answer().completeExceptionally(e));
            throw e; // the loop ends the leadership when fenced
        }
        int from = 0;
        for (Submission s : batch) {
            s.answer().complete(answers.subList(from, from + s.pods().size()));
            from += s.pods().size();
        }
    }

    private void failQueued(RuntimeException e) {
        Submission s;
        while ((s = queue.poll()) != null) {
            s.answer().completeExceptionally(e);
        }
    }
}
