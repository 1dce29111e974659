package io.farget.scheduler.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.farget.common.GrpcErrors;
import io.farget.common.Timestamps;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ClusterServiceGrpc;
import io.farget.proto.v1.ClusterStatus;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.DeletePodRequest;
import io.farget.proto.v1.DesiredState;
import io.farget.proto.v1.GetLogsRequest;
import io.farget.proto.v1.GetPodRequest;
import io.farget.proto.v1.GetStatusRequest;
import io.farget.proto.v1.GetUsageRequest;
import io.farget.proto.v1.LaunchPod;
import io.farget.proto.v1.ListNodesRequest;
import io.farget.proto.v1.ListPodsRequest;
import io.farget.proto.v1.LogChunk;
import io.farget.proto.v1.LogData;
import io.farget.proto.v1.LogRequest;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeServiceGrpc;
import io.farget.proto.v1.NodeState;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodEvent;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodServiceGrpc;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PodUsage;
import io.farget.proto.v1.PodUsageSample;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.RestartPolicy;
import io.farget.proto.v1.SchedulerMessage;
import io.farget.proto.v1.UsageReport;
import io.farget.proto.v1.UsageServiceGrpc;
import io.farget.proto.v1.WatchPodsRequest;
import io.farget.scheduler.bootstrap.SchedulerConfig;
import io.farget.scheduler.bootstrap.SchedulerServer;
import io.farget.scheduler.leader.FailureSettings;
import io.farget.scheduler.support.SchedulerHarness;
import io.farget.scheduler.support.TestAgent;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real scheduler on 127.0.0.1:0 over a real ZooKeeper, driven by a scripted agent and real gRPC clients. */
class SchedulerServerTest {
    private static final long MI = 1L << 20;
    private static final long GI = 1L << 30;
    private static final Duration WAIT = SchedulerHarness.WAIT;

    @RegisterExtension
    final SchedulerHarness cluster = new SchedulerHarness();

    // ---------------------------------------------------------------- helpers

    private static PodSpec spec(String name, long cpuMillis, long memoryBytes) {
        return PodSpec.newBuilder().setName(name).addContainers(ContainerSpec.newBuilder()
                .setName("main").addCommand("sh").addCommand("-c").addCommand("exit 3")
                .setResources(Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryBytes(memoryBytes))).build();
    }

    private static Pod create(PodServiceGrpc.PodServiceBlockingStub pods, PodSpec spec) {
        return pods.createPod(CreatePodRequest.newBuilder().setSpec(spec).build());
    }

    private static Pod get(PodServiceGrpc.PodServiceBlockingStub pods, String id) {
        return pods.getPod(GetPodRequest.newBuilder().setPodId(id).build());
    }

    private static PodReport.Builder report(LaunchPod launch, long seq, PodPhase phase) {
        return PodReport.newBuilder().setPodId(launch.getPodId()).setAttempt(launch.getAttempt()).setReportSeq(seq).setPhase(phase);
    }

    private static void awaitPhase(PodServiceGrpc.PodServiceBlockingStub pods, String id, PodPhase phase) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(pods, id).getStatus().getPhase()).isEqualTo(phase));
    }

    // ---------------------------------------------------------------- scenarios

    @Test
    void aPodRunsOnTheAgentAndFailsWithItsExitCode() throws Exception {
        SchedulerServer scheduler = cluster.leader();
        TestAgent agent = cluster.agent(scheduler, "node-1", 2000, 4 * GI);
        var pods = cluster.pods(scheduler);

        Pod created = create(pods, spec("job", 500, 64 * MI));
        // It fits at once, so it is stored already placed (PlaceAtCreateTest).
        assertThat(created.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_SCHEDULED);

        SchedulerMessage launchMessage = agent.await(SchedulerMessage::hasLaunch, "LaunchPod");
        LaunchPod launch = launchMessage.getLaunch();
        assertThat(launch.getPodId()).isEqualTo(created.getId());
        assertThat(launch.getAttempt()).isEqualTo(1);
        assertThat(launch.getSpec().getName()).isEqualTo("job");
        assertThat(launchMessage.getEpoch()).isEqualTo(scheduler.epoch()).isPositive();

        agent.report(report(launch, 1, PodPhase.POD_PHASE_RUNNING).setStartedAt(Timestamps.of(java.time.Instant.now())));
        awaitPhase(pods, created.getId(), PodPhase.POD_PHASE_RUNNING);
        agent.report(report(launch, 2, PodPhase.POD_PHASE_FAILED).setHasExitCode(true).setExitCode(3));
        awaitPhase(pods, created.getId(), PodPhase.POD_PHASE_FAILED);

        Pod done = get(pods, created.getId());
        assertThat(done.getStatus().getHasExitCode()).isTrue();
        assertThat(done.getStatus().getExitCode()).isEqualTo(3);
        assertThat(done.getStatus().getNodeId()).isEqualTo("node-1");
        assertThat(List.of(done.getStatus().getCreatedAt(), done.getStatus().getScheduledAt(),
                done.getStatus().getStartedAt(), done.getStatus().getFinishedAt())).allMatch(Timestamps::isSet);
    }

    @Test
    void badInputIsRejectedNamingTheFieldAndNothingIsStored() throws Exception {
        SchedulerServer scheduler = cluster.leader();
        var pods = cluster.pods(scheduler);
        PodSpec good = spec("good", 100, 64 * MI);

        assertInvalid(pods, spec("job", 0, 64 * MI), "containers[0].resources.cpu");
        assertInvalid(pods, spec("job", 100, MI), "containers[0].resources.memory");
        assertInvalid(pods, good.toBuilder().setName("Bad_Name").build(), "name");
        assertInvalid(pods, good.toBuilder().setContainers(0, good.getContainers(0).toBuilder().clearCommand()).build(),
                "containers[0].command");
        assertInvalid(pods, good.toBuilder().setArchValue(99).build(), "arch");

        assertThat(pods.listPods(ListPodsRequest.getDefaultInstance()).getPodsList()).isEmpty();
    }

    private static void assertInvalid(PodServiceGrpc.PodServiceBlockingStub pods, PodSpec spec, String field) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> create(pods, spec));
        assertThat(e).as(field).isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).startsWith(field + ":");
    }

    @Test
    void anOversizedPodStaysPendingWithAnExplanationAndIsNeverLaunched() throws Exception {
        SchedulerServer scheduler = cluster.leader();
        TestAgent agent = cluster.agent(scheduler, "small", 2000, 4 * GI);
        var pods = cluster.pods(scheduler);

        Pod huge = create(pods, spec("huge", 8000, GI));

        await().atMost(WAIT).untilAsserted(() -> assertThat(get(pods, huge.getId()).getStatus().getReason())
                .isEqualTo("no node could ever fit it: 0/1 nodes available: 1 insufficient cpu"));
        assertThat(get(pods, huge.getId()).getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        assertThat(agent.drain()).noneMatch(SchedulerMessage::hasLaunch);
    }

    @Test
    void aRetriedCreateWithTheSameRequestIdMakesOnePod() throws Exception {
        SchedulerServer scheduler = cluster.leader();
        var pods = cluster.pods(scheduler);
        CreatePodRequest request = CreatePodRequest.newBuilder().setSpec(spec("once", 100, 64 * MI)).setRequestId("req-42").build();

        Pod first = pods.createPod(request);
        Pod second = pods.createPod(request);

        assertThat(second.getId()).isEqualTo(first.getId());
        assertThat(pods.listPods(ListPodsRequest.getDefaultInstance()).getPodsList()).hasSize(1);
    }

    @Test
    void aRestartedSchedulerKeepsEveryPodAndItsPhase() throws Exception {
        SchedulerServer first = cluster.leader();
        TestAgent agent = cluster.agent(first, "node-1", 2000, 4 * GI);
        var pods = cluster.pods(first);
        Pod failed = create(pods, spec("fails", 500, 64 * MI));
        LaunchPod launch = agent.awaitLaunch();
        agent.report(report(launch, 1, PodPhase.POD_PHASE_FAILED).setHasExitCode(true).setExitCode(3));
        awaitPhase(pods, failed.getId(), PodPhase.POD_PHASE_FAILED);
        Pod pending = create(pods, spec("waits", 8000, 64 * MI));
        long firstEpoch = first.epoch();
        agent.close();
        first.close();

        SchedulerServer second = cluster.leader();
        var again = cluster.pods(second);

        assertThat(second.epoch()).isGreaterThan(firstEpoch);
        assertThat(get(again, failed.getId()).getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_FAILED);
        assertThat(get(again, failed.getId()).getStatus().getExitCode()).isEqualTo(3);
        assertThat(get(again, pending.getId()).getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        assertThat(again.listPods(ListPodsRequest.getDefaultInstance()).getPodsList()).hasSize(2);
        List<Node> nodes = NodeServiceGrpc.newBlockingStub(cluster.channel(second)).listNodes(ListNodesRequest.getDefaultInstance()).getNodesList();
        assertThat(nodes).singleElement().satisfies(n -> assertThat(n.getState()).isEqualTo(NodeState.NODE_STATE_NOT_READY));
    }

    @Test
    void aStandbyRefusesWritesNamingTheLeaderAndServesReads() throws Exception {
        SchedulerServer leader = cluster.leader();
        SchedulerServer standby = cluster.scheduler();
        cluster.agent(leader, "node-1", 2000, 4 * GI);
        Pod pod = create(cluster.pods(leader), spec("seen", 8000, 64 * MI)); // too big: stays PENDING

        assertThat(standby.isLeader()).isFalse();
        var standbyPods = cluster.pods(standby);
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> create(standbyPods, spec("nope", 100, 64 * MI)));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(GrpcErrors.leaderHint(refused)).isEqualTo(leader.address());
        StatusRuntimeException deleteRefused = catchThrowableOfType(StatusRuntimeException.class,
                () -> standbyPods.deletePod(DeletePodRequest.newBuilder().setPodId(pod.getId()).build()));
        assertThat(GrpcErrors.leaderHint(deleteRefused)).isEqualTo(leader.address());

        assertThat(get(standbyPods, pod.getId()).getSpec().getName()).isEqualTo("seen");
        assertThat(standbyPods.listPods(ListPodsRequest.getDefaultInstance()).getPodsList()).extracting(Pod::getId).containsExactly(pod.getId());
        assertThat(NodeServiceGrpc.newBlockingStub(cluster.channel(standby)).listNodes(ListNodesRequest.getDefaultInstance()).getNodesList())
                .extracting(Node::getId).containsExactly("node-1");

        ClusterStatus status = ClusterServiceGrpc.newBlockingStub(cluster.channel(standby)).getStatus(GetStatusRequest.getDefaultInstance());
        assertThat(status.getLeader()).isEqualTo(leader.address());
        assertThat(status.getZookeeper()).isEqualTo("ok");
        assertThat(status.getLeaderEpoch()).isEqualTo(leader.epoch());
        assertThat(status.getSchedulersList()).extracting(s -> s.getAddress() + "=" + s.getRole())
                .containsExactlyInAnyOrder(leader.address() + "=leader", standby.address() + "=standby");
        assertThat(status.getPodsByPhaseMap()).containsEntry("PENDING", 1).containsEntry("RUNNING", 0);

        TestAgent toStandby = TestAgent.open(standby.address(), "node-2");
        cluster.closeAfter(toStandby);
        StatusRuntimeException agentRefused = toStandby.awaitRefusal();
        assertThat(agentRefused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(GrpcErrors.leaderHint(agentRefused)).isEqualTo(leader.address());
    }

    @Test
    void aRefusedLaunchPutsThePodBackToPendingWithTheAgentsReason() throws Exception {
        SchedulerServer scheduler = cluster.leader();
        TestAgent agent = cluster.agent(scheduler, "node-1", 2000, 4 * GI);
        List<Pod> events = new CopyOnWriteArrayList<>();
        watch(scheduler, events);
        var pods = cluster.pods(scheduler);
        Pod pod = create(pods, spec("refused", 500, 64 * MI));

        LaunchPod launch = agent.awaitLaunch();
        java.util.function.Predicate<Pod> refusedAndPending = e -> e.getId().equals(pod.getId())
                && e.getStatus().getPhase() == PodPhase.POD_PHASE_PENDING && e.getStatus().getReason().contains("not enough free memory");

        // A watcher that lags is sent each pod's newest version only (PodWatchStream), so the PENDING
        // between a refusal and the next placement can be skipped on a busy machine: refuse each new
        // attempt, up to five, until the watcher has seen one.
        for (int refusals = 1; ; refusals++) {
            agent.report(report(launch, launch.getAttempt(), PodPhase.POD_PHASE_PENDING).setReason("not enough free memory"));
            LaunchPod retry = agent.awaitLaunch(); // placed again: a new attempt
            assertThat(retry.getPodId()).isEqualTo(pod.getId());
            assertThat(retry.getAttempt()).isEqualTo(launch.getAttempt() + 1);
            launch = retry;
            if (refusals == 5 || events.stream().anyMatch(refusedAndPending)) {
                break;
            }
        }
        await().atMost(WAIT).until(() -> events.stream().anyMatch(refusedAndPending));
    }

    private void watch(SchedulerServer scheduler, List<Pod> events) {
        Context.CancellableContext context = Context.current().withCancellation();
        cluster.closeAfter(() -> context.cancel(null));
        PodServiceGrpc.PodServiceStub stub = PodServiceGrpc.newStub(cluster.channel(scheduler));
        context.run(() -> stub.watchPods(WatchPodsRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(PodEvent event) {
                events.add(event.getPod());
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        }));
    }

    @Test
    void deletingARunningPodKillsItOnItsAgent() throws Exception {
        SchedulerServer scheduler = cluster.leader();
        TestAgent agent = cluster.agent(scheduler, "node-1", 2000, 4 * GI);
        var pods = cluster.pods(scheduler);
        Pod pod = create(pods, spec("victim", 500, 64 * MI));
        LaunchPod launch = agent.awaitLaunch();
        agent.report(report(launch, 1, PodPhase.POD_PHASE_RUNNING));
        awaitPhase(pods, pod.getId(), PodPhase.POD_PHASE_RUNNING);

        Pod asked = pods.deletePod(DeletePodRequest.newBuilder().setPodId(pod.getId()).build());
        assertThat(asked.getDesired()).isEqualTo(DesiredState.DESIRED_STATE_KILL);
        assertThat(asked.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_RUNNING);

        SchedulerMessage kill = agent.await(SchedulerMessage::hasKill, "KillPod");
        assertThat(kill.getKill().getPodId()).isEqualTo(pod.getId());
        agent.report(report(launch, 2, PodPhase.POD_PHASE_KILLED).setHasExitCode(true).setExitCode(143));
        awaitPhase(pods, pod.getId(), PodPhase.POD_PHASE_KILLED);
    }

    @Test
    void deletingAPendingPodKillsItAtOnceAndUnknownIdsAreNotFound() throws Exception {
        SchedulerServer scheduler = cluster.leader();
        var pods = cluster.pods(scheduler);
        Pod pod = create(pods, spec("never", 500, 64 * MI));

        assertThat(pods.deletePod(DeletePodRequest.newBuilder().setPodId(pod.getId()).build()).getStatus().getPhase())
                .isEqualTo(PodPhase.POD_PHASE_KILLED);
        assertThatThrownBy(() -> pods.deletePod(DeletePodRequest.newBuilder().setPodId("nosuchpodxxx").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> get(pods, "nosuchpodxxx"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void reportsWithAnOldSeqOrAnOldAttemptAreIgnored() throws Exception {
        SchedulerServer scheduler = cluster.leader();
        TestAgent agent = cluster.agent(scheduler, "node-1", 2000, 4 * GI);
        var pods = cluster.pods(scheduler);
        Pod pod = create(pods, spec("ordered", 500, 64 * MI));
        LaunchPod launch = agent.awaitLaunch();
        agent.report(report(launch, 5, PodPhase.POD_PHASE_RUNNING));
        awaitPhase(pods, pod.getId(), PodPhase.POD_PHASE_RUNNING);

        agent.report(report(launch, 4, PodPhase.POD_PHASE_FAILED).setHasExitCode(true).setExitCode(1)); // old seq
        agent.report(report(launch, 9, PodPhase.POD_PHASE_SUCCEEDED).setAttempt(0)); // old attempt
        agent.report(report(launch, 6, PodPhase.POD_PHASE_RUNNING)); // a fresh one, applied after those

        await().atMost(WAIT).untilAsserted(() -> assertThat(get(pods, pod.getId()).getStatus().getReportSeq()).isEqualTo(6));
        assertThat(get(pods, pod.getId()).getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_RUNNING);
    }

    @Test
    void logsAreRelayedFromTheAgentAndACancelReachesIt() throws Exception {
        SchedulerServer scheduler = cluster.leader();
        TestAgent agent = cluster.agent(scheduler, "node-1", 2000, 4 * GI);
        var pods = cluster.pods(scheduler);
        Pod pod = create(pods, spec("chatty", 500, 64 * MI));
        LaunchPod launch = agent.awaitLaunch();
        agent.report(report(launch, 1, PodPhase.POD_PHASE_RUNNING));
        awaitPhase(pods, pod.getId(), PodPhase.POD_PHASE_RUNNING);
        PodServiceGrpc.PodServiceStub async = PodServiceGrpc.newStub(cluster.channel(scheduler));

        CompletableFuture<String> text = new CompletableFuture<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        async.getLogs(GetLogsRequest.newBuilder().setPodId(pod.getId()).build(), new StreamObserver<>() {
            @Override
            public void onNext(LogChunk chunk) {
                bytes.writeBytes(chunk.getData().toByteArray());
            }

            @Override
            public void onError(Throwable t) {
                text.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                text.complete(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        LogRequest request = agent.await(SchedulerMessage::hasLogRequest, "LogRequest").getLogRequest();
        assertThat(request.getPodId()).isEqualTo(pod.getId());
        assertThat(request.getContainer()).isEqualTo("main");
        agent.logData(LogData.newBuilder().setRequestId(request.getRequestId()).setData(ByteString.copyFromUtf8("hello ")));
        agent.logData(LogData.newBuilder().setRequestId(request.getRequestId()).setData(ByteString.copyFromUtf8("world")).setEof(true));
        assertThat(text.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("hello world");

        Context.CancellableContext context = Context.current().withCancellation();
        context.run(() -> async.getLogs(GetLogsRequest.newBuilder().setPodId(pod.getId()).setFollow(true).build(),
                new StreamObserver<>() {
                    public void onNext(LogChunk chunk) {}

                    public void onError(Throwable t) {}

                    public void onCompleted() {}
                }));
        LogRequest follow = agent.await(SchedulerMessage::hasLogRequest, "LogRequest").getLogRequest();
        assertThat(follow.getFollow()).isTrue();
        context.cancel(null);
        SchedulerMessage cancel = agent.await(SchedulerMessage::hasLogCancel, "LogCancel");
        assertThat(cancel.getLogCancel().getRequestId()).isEqualTo(follow.getRequestId());

        assertThatThrownBy(() -> pods.getLogs(GetLogsRequest.newBuilder().setPodId("nosuchpodxxx").build()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void nodesShowTheirAllocationAndGoNotReadyWhenTheStreamCloses() throws Exception {
        SchedulerServer scheduler = cluster.leader();
        TestAgent agent = cluster.agent(scheduler, "node-1", 2000, 4 * GI);
        var pods = cluster.pods(scheduler);
        var nodes = NodeServiceGrpc.newBlockingStub(cluster.channel(scheduler));
        Pod pod = create(pods, spec("sized", 500, 64 * MI));
        LaunchPod launch = agent.awaitLaunch();
        agent.report(report(launch, 1, PodPhase.POD_PHASE_RUNNING));
        agent.usage(UsageReport.newBuilder().addSamples(PodUsageSample.newBuilder().setPodId(pod.getId())
                .setAttempt(launch.getAttempt()).setUsage(PodUsage.newBuilder().setCpuNanos(7_000_000_000L)
                        .setPeakMemoryBytes(10 * MI).setSampleSeq(1))));

        await().atMost(WAIT).untilAsserted(() -> assertThat(UsageServiceGrpc.newBlockingStub(cluster.channel(scheduler))
                .getUsage(GetUsageRequest.newBuilder().setPodId(pod.getId()).build()).getRecords(0))
                .satisfies(r -> {
                    assertThat(r.getUsage().getCpuNanos()).isEqualTo(7_000_000_000L);
                    assertThat(r.getReserved().getCpuMillis()).isEqualTo(500);
                    assertThat(Timestamps.isSet(r.getStartedAt())).isTrue();
                }));
        Node node = nodes.listNodes(ListNodesRequest.getDefaultInstance()).getNodes(0);
        assertThat(node.getState()).isEqualTo(NodeState.NODE_STATE_READY);
        assertThat(node.getAllocated().getCpuMillis()).isEqualTo(500);
        assertThat(node.getPodCount()).isEqualTo(1);
        assertThat(node.getArch()).isEqualTo(Arch.ARCH_X86_64);

        agent.disconnect();
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodes.listNodes(ListNodesRequest.getDefaultInstance())
                .getNodes(0).getState()).isEqualTo(NodeState.NODE_STATE_NOT_READY));
        ClusterStatus status = ClusterServiceGrpc.newBlockingStub(cluster.channel(scheduler)).getStatus(GetStatusRequest.getDefaultInstance());
        assertThat(status.getNodesByStateMap()).containsEntry("NOT_READY", 1).containsEntry("READY", 0);
        assertThat(status.getPodsByPhaseMap()).containsEntry("RUNNING", 1);
        assertThat(status.getSchedulersList()).singleElement().satisfies(s -> assertThat(s.getRole()).isEqualTo("leader"));
    }

    @Test
    void anAgentReconnectingWithoutItsPodGetsTheLaunchAgainAndUnknownPodsKilled() throws Exception {
        SchedulerServer scheduler = cluster.leader();
        TestAgent agent = cluster.agent(scheduler, "node-1", 2000, 4 * GI);
        var pods = cluster.pods(scheduler);
        Pod pod = create(pods, spec("again", 500, 64 * MI));
        LaunchPod launch = agent.awaitLaunch();
        agent.close();

        PodReport stranger = PodReport.newBuilder().setPodId("strangerxxxx").setAttempt(1).setReportSeq(1)
                .setPhase(PodPhase.POD_PHASE_RUNNING).build();
        TestAgent back = cluster.agent(scheduler, "node-1", 2000, 4 * GI, stranger);

        LaunchPod relaunch = back.awaitLaunch();
        assertThat(relaunch.getPodId()).isEqualTo(pod.getId());
        assertThat(relaunch.getAttempt()).isEqualTo(launch.getAttempt());
        assertThat(back.await(SchedulerMessage::hasKill, "KillPod").getKill().getPodId()).isEqualTo("strangerxxxx");
    }

    @Test
    void aNodeCutOffWhileItsPodMovedIsToldToKillItsCopy() throws Exception {
        SchedulerServer scheduler = SchedulerServer.start(SchedulerConfig.defaults(cluster.zkConnectString()).withPort(0)
                .withHeartbeatInterval(Duration.ofMillis(200)).withNodeNotReadyAfter(Duration.ofMillis(800))
                .withFailures(FailureSettings.defaults().withPodsLostAfter(Duration.ofMillis(800))
                        .withRescheduleRate(1.0, 1000)));
        cluster.closeAfter(scheduler);
        scheduler.awaitLeadership(WAIT);
        var pods = cluster.pods(scheduler);
        TestAgent cutOff = cluster.agent(scheduler, "node-1", 2000, 4 * GI);
        Pod pod = create(pods, spec("moved", 500, 64 * MI).toBuilder().setRestart(RestartPolicy.RESTART_POLICY_ALWAYS).build());
        LaunchPod first = cutOff.awaitLaunch();
        cutOff.report(report(first, 1, PodPhase.POD_PHASE_RUNNING));
        awaitPhase(pods, pod.getId(), PodPhase.POD_PHASE_RUNNING);

        // node-2 keeps heartbeating; node-1 goes silent on an open stream (a cut link) until its pod moves
        TestAgent healthy = cluster.agent(scheduler, "node-2", 2000, 4 * GI);
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
        cluster.closeAfter(beats::shutdownNow);
        beats.scheduleAtFixedRate(healthy::heartbeat, 0, 100, TimeUnit.MILLISECONDS);
        LaunchPod moved = healthy.awaitLaunch();
        assertThat(moved.getPodId()).isEqualTo(pod.getId());
        assertThat(moved.getAttempt()).isGreaterThan(first.getAttempt());

        // the link heals: the order to kill the old copy was queued on the still-open stream
        assertThat(cutOff.await(SchedulerMessage::hasKill, "KillPod").getKill().getPodId()).isEqualTo(pod.getId());
        cutOff.heartbeat();
        // and a report of the old copy still running gets the order again
        cutOff.report(report(first, 2, PodPhase.POD_PHASE_RUNNING));
        assertThat(cutOff.await(SchedulerMessage::hasKill, "KillPod").getKill().getPodId()).isEqualTo(pod.getId());
        assertThat(get(pods, pod.getId()).getStatus().getNodeId()).isEqualTo("node-2");
    }

    @Test
    void aFinalReportOfAnEarlierAttemptDoesNotHideThatTheAgentLostTheCurrentOne() throws Exception {
        SchedulerServer scheduler = cluster.leader();
        TestAgent agent = cluster.agent(scheduler, "node-1", 2000, 4 * GI);
        var pods = cluster.pods(scheduler);
        Pod pod = create(pods, spec("forgotten", 500, 64 * MI));
        LaunchPod launch = agent.awaitLaunch();
        agent.report(report(launch, 1, PodPhase.POD_PHASE_RUNNING));
        awaitPhase(pods, pod.getId(), PodPhase.POD_PHASE_RUNNING);
        agent.close();

        // the restarted agent still journals how an earlier attempt ended, but runs nothing
        PodReport earlier = PodReport.newBuilder().setPodId(pod.getId()).setAttempt(launch.getAttempt() - 1)
                .setReportSeq(9).setPhase(PodPhase.POD_PHASE_KILLED).build();
        cluster.agent(scheduler, "node-1", 2000, 4 * GI, earlier);

        awaitPhase(pods, pod.getId(), PodPhase.POD_PHASE_FAILED);
        assertThat(get(pods, pod.getId()).getStatus().getReason()).contains("no longer knows");
    }
}
