package io.farget.scheduler.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.farget.common.FargetException;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit with submissions of many pods: each call's pods are stored in one batch, never split,
 * batches stay within the bound, and every caller gets its own pods back, in order.
 */
class CreateQueueTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final LeaderLoop loop = new LeaderLoop(1, () -> { });
    private final LoopHold hold = new LoopHold(WAIT);
    /** The pods of each store call, in order. */
    private final List<List<String>> stores = new CopyOnWriteArrayList<>();
    /** Caller name -> the request ids of its answer, or the failure it got. */
    private final Map<String, Object> answers = new ConcurrentHashMap<>();
    private final List<Thread> callers = new ArrayList<>();

    @AfterEach
    void stop() {
        hold.release();
        loop.close();
    }

    @Test
    void eachCallIsStoredWholeWithinTheBoundAndAnsweredWithItsOwnPods() throws Exception {
        CreateQueue queue = new CreateQueue(loop, recordingStore(pods -> false));
        hold.hold(loop);

        // 1,101 pods in all: they cannot share one batch, and whatever order they queue in, one call
        // fails to fit the first batch and must start the second whole.
        submit(queue, "a", 600);
        submit(queue, "b", 300);
        submit(queue, "c", 200);
        submit(queue, "d", 1);
        awaitAllQueued();
        hold.release();
        joinCallers();

        for (String caller : List.of("a", "b", "c", "d")) {
            assertThat(answers.get(caller)).as(caller).isEqualTo(ids(caller, sizeOf(caller)));
        }
        assertThat(stores).hasSize(2).allSatisfy(batch -> assertThat(batch.size()).isLessThanOrEqualTo(CreateQueue.MAX_PER_BATCH));
        assertThat(stores.stream().mapToInt(List::size).sum()).as("each pod stored once").isEqualTo(1_101);
        for (String caller : List.of("a", "b", "c", "d")) {
            assertThat(stores).as(caller + " stored whole, in one batch")
                    .filteredOn(batch -> batch.contains(caller + "-0"))
                    .singleElement()
                    .satisfies(batch -> assertThat(batch).containsSequence(ids(caller, sizeOf(caller))));
        }
    }

    @Test
    void aFailedStoreFailsItsBatchAndTheCallLeftOverFromIt() throws Exception {
        CreateQueue queue = new CreateQueue(loop, recordingStore(pods -> true));
        hold.hold(loop);

        submit(queue, "a", 600);
        submit(queue, "b", 600);
        awaitAllQueued();
        hold.release();
        joinCallers();

        assertThat(stores).hasSize(1); // the first batch failed: the drain stops, the left-over call is not stored
        assertThat(answers.values()).hasSize(2).allSatisfy(answer -> assertThat(answer).isInstanceOf(FargetException.class));
    }

    // ---------------------------------------------------------------- helpers

    private Function<List<NewPod>, List<Pod>> recordingStore(Predicate<List<NewPod>> fails) {
        return pods -> {
            stores.add(pods.stream().map(NewPod::requestId).toList());
            if (fails.test(pods)) {
                throw FargetException.unavailable("ZooKeeper refused");
            }
            return pods.stream().map(p -> Pod.newBuilder().setId(p.requestId()).setRequestId(p.requestId()).build()).toList();
        };
    }

    private void submit(CreateQueue queue, String caller, int size) {
        List<NewPod> pods = ids(caller, size).stream().map(id -> new NewPod(PodSpec.getDefaultInstance(), id)).toList();
        Thread t = new Thread(() -> {
            try {
                answers.put(caller, queue.createAll(pods).stream().map(Pod::getRequestId).toList());
            } catch (RuntimeException e) {
                answers.put(caller, e);
            }
        }, "caller-" + caller);
        callers.add(t);
        t.start();
    }

    /** A caller waits (with a timeout) only once its call is queued. */
    private void awaitAllQueued() {
        await().atMost(WAIT).until(() -> callers.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING));
    }

    private void joinCallers() throws InterruptedException {
        for (Thread t : callers) {
            t.join(WAIT.toMillis());
            assertThat(t.isAlive()).as(t.getName() + " answered").isFalse();
        }
    }

    private static int sizeOf(String caller) {
        return Map.of("a", 600, "b", 300, "c", 200, "d", 1).get(caller);
    }

    private static List<String> ids(String caller, int size) {
        return IntStream.range(0, size).mapToObj(i -> caller + "-" + i).toList();
    }
}
