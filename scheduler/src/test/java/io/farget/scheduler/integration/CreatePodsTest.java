package io.farget.scheduler.integration;

import static io.farget.scheduler.support.SchedulerHarness.podRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.farget.common.GrpcErrors;
import io.farget.common.PodBatches;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.CreatePodsRequest;
import io.farget.proto.v1.ListPodsRequest;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodServiceGrpc;
import io.farget.scheduler.bootstrap.SchedulerServer;
import io.farget.scheduler.state.ClusterReader;
import io.farget.scheduler.state.ZkLayout;
import io.farget.scheduler.support.SchedulerHarness;
import io.farget.scheduler.support.TestAgent;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CreatePods through the real scheduler: every item is checked before anything is stored, every pod
 * is durable before the answer, which lists them in request order, request ids make retries safe
 * per pod, and a standby refuses it naming the leader, as CreatePod.
 */
class CreatePodsTest {
    /** 4,800 pods from 16 clients on a 2-core machine that may be busy with other work. */
    private static final Duration BUSY_WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final SchedulerHarness cluster = new SchedulerHarness();

    @Test
    void everyPodIsStoredBeforeTheAnswerWhichListsThemInRequestOrder() throws Exception {
        SchedulerServer leader = cluster.leader();
        TestAgent agent = cluster.agent(leader, "node-1", 1000);
        List<CreatePodRequest> items = List.of(podRequest("a", 400, "r-a"), podRequest("b", 400, "r-b"), podRequest("c", 400, ""));

        List<Pod> created = cluster.pods(leader).createPods(batch(items)).getPodsList();

        assertThat(created).extracting(p -> p.getSpec().getName()).containsExactly("a", "b", "c");
        assertThat(created).extracting(Pod::getRequestId).containsExactly("r-a", "r-b", "");
        assertThat(created).extracting(Pod::getId).doesNotHaveDuplicates();
        ClusterReader stored = new ClusterReader(cluster.client());
        for (Pod pod : created) {
            assertThat(stored.readPod(pod.getId())).as("durable before the answer").contains(pod);
        }
        assertThat(new String(cluster.client().getData().forPath(ZkLayout.request("r-b")))).isEqualTo(created.get(1).getId());
        // The first two fit the node at once and are placed at creation; the third waits for room.
        assertThat(created).extracting(p -> p.getStatus().getPhase())
                .containsExactly(PodPhase.POD_PHASE_SCHEDULED, PodPhase.POD_PHASE_SCHEDULED, PodPhase.POD_PHASE_PENDING);
        assertThat(List.of(agent.awaitLaunch().getPodId(), agent.awaitLaunch().getPodId()))
                .containsExactly(created.get(0).getId(), created.get(1).getId());
    }

    @Test
    void oneBadItemIsRejectedNamingItsIndexAndFieldAndNothingIsStored() throws Exception {
        SchedulerServer leader = cluster.leader();
        var pods = cluster.pods(leader);
        CreatePodRequest good = podRequest("good", 100, "r-1");

        assertInvalid(pods, List.of(good, podRequest("bad", 0, "r-2")), "pods[1].spec.containers[0].resources.cpu");
        assertInvalid(pods, List.of(good, podRequest("b", 100, "r-2"), podRequest("Bad_Name", 100, "r-3")), "pods[2].spec.name");
        assertInvalid(pods, List.of(good, podRequest("b", 100, "no/slashes")), "pods[1].request_id");
        assertInvalid(pods, List.of(good, podRequest("b", 100, "r-2"), podRequest("c", 100, "r-1")), "pods[2].request_id");

        assertThat(pods.listPods(ListPodsRequest.getDefaultInstance()).getPodsList()).isEmpty();
        for (String requestId : List.of("r-1", "r-2", "r-3")) {
            assertThat(cluster.client().checkExists().forPath(ZkLayout.request(requestId))).as(requestId).isNull();
        }
    }

    @Test
    void aThousandPodsAreOneCallAndMoreOrNoneAreRefused() throws Exception {
        SchedulerServer leader = cluster.leader();
        var pods = cluster.pods(leader);
        List<CreatePodRequest> thousand = IntStream.range(0, PodBatches.MAX_PODS)
                .mapToObj(i -> podRequest("p" + i, 100, "r-" + i)).toList();

        assertInvalid(pods, List.of(), "pods");
        List<CreatePodRequest> tooMany = new ArrayList<>(thousand);
        tooMany.add(podRequest("one-more", 100, "r-more"));
        StatusRuntimeException refused = assertInvalid(pods, tooMany, "pods");
        assertThat(refused.getStatus().getDescription()).contains("1000").contains("1001");
        assertThat(pods.listPods(ListPodsRequest.getDefaultInstance()).getPodsList()).isEmpty();

        List<Pod> created = pods.createPods(batch(thousand)).getPodsList();
        assertThat(created).extracting(Pod::getRequestId)
                .containsExactlyElementsOf(thousand.stream().map(CreatePodRequest::getRequestId).toList());
        assertThat(pods.listPods(ListPodsRequest.getDefaultInstance()).getPodsList()).hasSize(PodBatches.MAX_PODS);
    }

    @Test
    void aRetriedBatchAnswersThePodsItsRequestIdsCreatedAndCreatesOnlyTheRest() throws Exception {
        SchedulerServer leader = cluster.leader();
        var pods = cluster.pods(leader);
        List<Pod> first = pods.createPods(batch(List.of(podRequest("a", 100, "r-a"), podRequest("b", 100, "r-b")))).getPodsList();

        // As after a call that failed once some of its pods were stored: the retry carries the same ids.
        List<Pod> retry = pods.createPods(batch(List.of(podRequest("a", 100, "r-a"), podRequest("b", 100, "r-b"), podRequest("c", 100, "r-c"))))
                .getPodsList();
        Pod single = pods.createPod(podRequest("b", 100, "r-b"));

        // (compared by id: a placement pass has meanwhile noted why they wait)
        assertThat(retry.subList(0, 2)).extracting(Pod::getId).containsExactly(first.get(0).getId(), first.get(1).getId());
        assertThat(retry.get(2).getSpec().getName()).isEqualTo("c");
        assertThat(retry.get(2).getId()).isNotIn(first.get(0).getId(), first.get(1).getId());
        assertThat(single.getId()).as("CreatePod and CreatePods share request ids").isEqualTo(first.get(1).getId());
        assertThat(pods.listPods(ListPodsRequest.getDefaultInstance()).getPodsList()).hasSize(3);
    }

    @Test
    void batchesAndSinglePodsFromManyClientsAtOnceEachGetTheirOwnPods() throws Exception {
        SchedulerServer leader = cluster.leader();
        var pods = cluster.pods(leader);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        cluster.closeAfter(clients::shutdownNow);
        List<CompletableFuture<List<String>>> batches = new ArrayList<>();
        List<CompletableFuture<String>> singles = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            int client = c;
            // big enough that some batches meet in one store and some must wait for the next
            List<CreatePodRequest> items = IntStream.range(0, 300).mapToObj(i -> podRequest("p", 100, "c" + client + "-" + i)).toList();
            // A deadline per call, counted from when the call starts: the stub's own is fixed at its
            // creation, and these calls queue for the 8 client threads.
            batches.add(CompletableFuture.supplyAsync(() -> pods.withDeadlineAfter(BUSY_WAIT.toSeconds(), TimeUnit.SECONDS)
                    .createPods(batch(items)).getPodsList().stream()
                    .map(Pod::getRequestId).toList(), clients));
            singles.add(CompletableFuture.supplyAsync(() -> pods.withDeadlineAfter(BUSY_WAIT.toSeconds(), TimeUnit.SECONDS)
                    .createPod(podRequest("s", 100, "s" + client)).getRequestId(), clients));
        }

        for (int c = 0; c < batches.size(); c++) {
            int client = c;
            assertThat(batches.get(c).get(BUSY_WAIT.toSeconds(), TimeUnit.SECONDS))
                    .containsExactlyElementsOf(IntStream.range(0, 300).mapToObj(i -> "c" + client + "-" + i).toList());
            assertThat(singles.get(c).get(BUSY_WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("s" + client);
        }
        assertThat(cluster.pods(leader).listPods(ListPodsRequest.getDefaultInstance()).getPodsList()).hasSize(16 * 300 + 16);
    }

    @Test
    void aStandbyRefusesABatchNamingTheLeader() throws Exception {
        SchedulerServer leader = cluster.leader();
        SchedulerServer standby = cluster.scheduler();

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> cluster.pods(standby).createPods(batch(List.of(podRequest("a", 100, "r-a")))));

        assertThat(standby.isLeader()).isFalse();
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(GrpcErrors.leaderHint(refused)).isEqualTo(leader.address());
        assertThat(cluster.pods(leader).listPods(ListPodsRequest.getDefaultInstance()).getPodsList()).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private static StatusRuntimeException assertInvalid(PodServiceGrpc.PodServiceBlockingStub pods,
                                                        List<CreatePodRequest> items, String field) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> pods.createPods(batch(items)));
        assertThat(e).as(field).isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).startsWith(field + ":");
        return e;
    }

    private static CreatePodsRequest batch(List<CreatePodRequest> items) {
        return CreatePodsRequest.newBuilder().addAllPods(items).build();
    }
}
