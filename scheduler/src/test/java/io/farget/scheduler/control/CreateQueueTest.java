package io.farget.scheduler.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.farget.common.ErrorCode;
import io.farget.common.FargetException;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
    private final List<CompletableFuture<?>> calls = new ArrayList<>();

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
        hold.release();
        awaitAnswers();

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

    /** No caller's thread waits for the loop: gRPC runs creates on its transport threads. */
    @Test
    void aSubmissionReturnsAtOnceAndIsAnsweredWhenTheLoopStoresIt() throws Exception {
        CreateQueue queue = new CreateQueue(loop, recordingStore(pods -> false));
        hold.hold(loop);

        CompletableFuture<List<Pod>> answer = queue.submit(List.of(new NewPod(PodSpec.getDefaultInstance(), "r-1")));

        assertThat(answer).as("answered before the loop got to it").isNotDone();
        assertThat(stores).isEmpty();
        hold.release();
        assertThat(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS)).extracting(Pod::getRequestId).containsExactly("r-1");
    }

    /** A term that ends with creates queued answers them UNAVAILABLE at once: the client retries on the next leader. */
    @Test
    void createsQueuedWhenTheTermEndsAreToldToRetry() throws Exception {
        CreateQueue queue = new CreateQueue(loop, recordingStore(pods -> false));
        hold.hold(loop);
        submit(queue, "a", 1);
        submit(queue, "b", 1);

        loop.close();
        awaitAnswers();

        assertThat(stores).isEmpty();
        assertThat(answers.values()).hasSize(2).allSatisfy(answer -> assertThat(answer)
                .isInstanceOfSatisfying(FargetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE)));
    }

    @Test
    void aFailedStoreFailsItsBatchAndTheCallLeftOverFromIt() throws Exception {
        CreateQueue queue = new CreateQueue(loop, recordingStore(pods -> true));
        hold.hold(loop);

        submit(queue, "a", 600);
        submit(queue, "b", 600);
        hold.release();
        awaitAnswers();

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

    /** Queues the caller's pods (queued when this returns); its answer lands in {@link #answers}. */
    private void submit(CreateQueue queue, String caller, int size) {
        List<NewPod> pods = ids(caller, size).stream().map(id -> new NewPod(PodSpec.getDefaultInstance(), id)).toList();
        calls.add(queue.submit(pods).handle((created, failure) -> answers.put(caller,
                failure != null ? LeaderLoop.failure(failure) : created.stream().map(Pod::getRequestId).toList())));
    }

    private void awaitAnswers() {
        await().atMost(WAIT).until(() -> calls.stream().allMatch(CompletableFuture::isDone));
    }

    private static int sizeOf(String caller) {
        return Map.of("a", 600, "b", 300, "c", 200, "d", 1).get(caller);
    }

    private static List<String> ids(String caller, int size) {
        return IntStream.range(0, size).mapToObj(i -> caller + "-" + i).toList();
    }
}
