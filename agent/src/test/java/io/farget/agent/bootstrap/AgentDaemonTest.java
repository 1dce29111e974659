package io.farget.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.farget.agent.capacity.HostProbe;
import io.farget.agent.state.UsageJournal;
import io.farget.common.Arches;
import io.farget.common.ResourceMath;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.Heartbeat;
import io.farget.proto.v1.LogData;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PodUsageSample;
import io.farget.proto.v1.Register;
import io.farget.proto.v1.SchedulerMessage;
import io.farget.sandbox.FakeRuntime;
import io.farget.sandbox.SandboxStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent daemon end to end: real gRPC over 127.0.0.1 to a test scheduler, pods in a FakeRuntime. */
class AgentDaemonTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final long MI = 1L << 20;

    @TempDir
    Path dataDir;
    @TempDir
    Path logDir;

    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
    private FakeRuntime runtime;
    private TestScheduler scheduler;

    @BeforeEach
    void setUp() throws IOException {
        runtime = track(new FakeRuntime(Clock.systemUTC(), null, logDir));
        scheduler = track(TestScheduler.start());
    }

    @AfterEach
    void tearDown() throws Exception {
        Exception first = null;
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        cleanup.push(closeable);
        return closeable;
    }

    /** A config for a 4-CPU, 8 GiB x86_64 machine, so tests do not depend on the host. */
    private AgentConfig config(String... schedulers) {
        return AgentConfig.defaults(dataDir)
                .withSchedulers(List.of(schedulers))
                .withHostname("test-host")
                .withArch(Arch.ARCH_X86_64)
                .withCapacity(ResourceMath.of(4000, 8192 * MI));
    }

    private AgentDaemon startAgent(AgentConfig config) {
        return track(AgentDaemon.start(config, runtime));
    }

    private AgentDaemon connectedAgent() {
        AgentDaemon agent = startAgent(config(scheduler.address()));
        await().atMost(WAIT).until(agent::isConnected);
        return agent;
    }

    static PodSpec pod(long cpuMillis, long memoryBytes, Arch arch) {
        return PodSpec.newBuilder().setName("web").setArch(arch)
                .addContainers(ContainerSpec.newBuilder().setName("main").addCommand("serve")
                        .setResources(ResourceMath.of(cpuMillis, memoryBytes)))
                .build();
    }

    static PodSpec smallPod() {
        return pod(500, 64 * MI, Arch.ARCH_ANY);
    }

    private PodReport awaitPhase(TestScheduler on, String podId, PodPhase phase) {
        return await().atMost(WAIT).until(() -> on.lastReport(podId).filter(r -> r.getPhase() == phase), Optional::isPresent).get();
    }

    @Test
    void registersWithIdHostnameArchCapacityMinusReserveAndVersion() {
        AgentDaemon agent = startAgent(AgentConfig.defaults(dataDir).withSchedulers(List.of(scheduler.address()))
                .withReserve(500, 256 * MI));

        Register register = await().atMost(WAIT).until(scheduler::registers, r -> !r.isEmpty()).get(0);

        var host = new HostProbe().probe();
        assertThat(register.getNodeId()).isEqualTo(agent.nodeId()).startsWith("node-");
        assertThat(register.getHostname()).isEqualTo(host.hostname()).isNotBlank();
        assertThat(register.getArch()).isEqualTo(Arches.ofThisHost());
        assertThat(register.getCapacity().getCpuMillis()).isEqualTo(Math.max(0, host.capacity().getCpuMillis() - 500));
        assertThat(register.getCapacity().getMemoryBytes()).isEqualTo(host.capacity().getMemoryBytes() - 256 * MI);
        assertThat(register.getOs()).isNotBlank();
        assertThat(register.getAgentVersion()).isNotBlank();
        assertThat(register.getPodsList()).isEmpty();
        await().atMost(WAIT).until(agent::isConnected);
        assertThat(scheduler.received.get(0).hasRegister()).as("Register comes first").isTrue();
    }

    @Test
    void fiftyPodsLaunchedAtOnceAllRunOnAFewWorkerThreads() {
        connectedAgent();
        List<String> ids = java.util.stream.IntStream.range(0, 50).mapToObj(i -> "burst" + i).toList();
        ids.forEach(id -> scheduler.launch(id, 1, pod(10, 16 * MI, Arch.ARCH_ANY)));

        ids.forEach(id -> awaitPhase(scheduler, id, PodPhase.POD_PHASE_RUNNING));
        long workers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("farget-agent-worker-")).count();
        assertThat(workers).as("starts queue on the bounded pool").isBetween(1L, (long) WorkerPool.defaultSize());
    }

    @Test
    void nodeIdAndReportSequencesSurviveRestarts() throws Exception {
        AgentDaemon first = connectedAgent();
        scheduler.launch("pod1", 1, smallPod());
        long seqBefore = awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_RUNNING).getReportSeq();
        first.shutdownPods(Duration.ofSeconds(1));
        first.close();

        AgentDaemon second = connectedAgent();
        assertThat(second.nodeId()).isEqualTo(first.nodeId());
        assertThat(scheduler.registers()).extracting(Register::getNodeId).containsOnly(first.nodeId()).hasSize(2);

        scheduler.launch("pod1", 2, smallPod());
        PodReport again = await().atMost(WAIT).until(() -> scheduler.lastReport("pod1").filter(r -> r.getAttempt() == 2), Optional::isPresent).get();
        assertThat(again.getReportSeq()).isGreaterThan(seqBefore);
    }

    @Test
    void aPodsStartSampleRidesInItsRunningReportNotInAMessageOfItsOwn() throws Exception {
        scheduler.usageMillis = 60_000; // no sampling round during the test
        runtime.setScripts(r -> FakeRuntime.Script.runForever().withUsage(500_000_000L, 32 * MI));
        connectedAgent();
        scheduler.launch("pod1", 1, smallPod());

        PodReport running = awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_RUNNING);

        assertThat(running.getUsage().getSampleSeq()).isEqualTo(1);
        assertThat(scheduler.received).noneMatch(m -> m.hasUsage());
    }

    @Test
    void samplesALeaderHasAreNotWrittenOneByOneButWithTheNextJournalWrite() throws Exception {
        scheduler.usageMillis = 60_000; // no sampling round during the test: only the pods' start samples
        runtime.setScripts(r -> FakeRuntime.Script.runForever().withUsage(500_000_000L, 32 * MI));
        AgentDaemon agent = connectedAgent();
        List<String> ids = List.of("pod1", "pod2", "pod3");
        ids.forEach(id -> scheduler.launch(id, 1, smallPod()));
        ids.forEach(id -> await().atMost(WAIT).until(() -> scheduler.usage(id), s -> !s.isEmpty()));

        Path journal = dataDir.resolve("usage-journal.json");
        assertThat(journal).as("no journal write per sample while a leader listens").doesNotExist();

        agent.close(); // the pods go on; closing writes what the round would have
        UsageJournal written = UsageJournal.open(journal, Clock.systemUTC(), 100);
        ids.forEach(id -> assertThat(written.last(id, 1)).map(u -> u.getSampleSeq()).contains(1L));
    }

    @Test
    void afterACrashReportAndSampleSequencesGoOnAboveEverythingSentAndCountersContinue() throws Exception {
        runtime.setScripts(r -> FakeRuntime.Script.runForever().withUsage(500_000_000L, 32 * MI));
        AgentDaemon first = connectedAgent();
        scheduler.launch("pod1", 1, smallPod());
        awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_RUNNING);
        await().atMost(WAIT).until(() -> scheduler.usage("pod1"), s -> s.size() >= 3);
        Map<String, byte[]> disk = filesOf(dataDir); // what a crash now would leave behind: no later write counts
        first.close();
        restore(dataDir, disk);
        long sentSample = scheduler.usage("pod1").stream().mapToLong(s -> s.getUsage().getSampleSeq()).max().orElseThrow();
        long sentCpu = scheduler.usage("pod1").stream().mapToLong(s -> s.getUsage().getCpuNanos()).max().orElseThrow();
        long sentReport = scheduler.reports("pod1").stream().mapToLong(PodReport::getReportSeq).max().orElseThrow();
        int before = scheduler.received.size();

        connectedAgent();

        Register again = await().atMost(WAIT).until(scheduler::registers, r -> r.size() == 2).get(1);
        assertThat(again.getPodsList()).singleElement().satisfies(p -> {
            assertThat(p.getPhase()).isEqualTo(PodPhase.POD_PHASE_RUNNING);
            assertThat(p.getReportSeq()).isGreaterThan(sentReport);
        });
        List<PodUsageSample> after = await().atMost(WAIT).until(() -> scheduler.received.subList(before, scheduler.received.size())
                .stream().filter(m -> m.hasUsage()).flatMap(m -> m.getUsage().getSamplesList().stream()).toList(), s -> s.size() >= 2);
        assertThat(after).allSatisfy(s -> {
            assertThat(s.getUsage().getSampleSeq()).isGreaterThan(sentSample);
            assertThat(s.getUsage().getCpuNanos()).isGreaterThanOrEqualTo(sentCpu);
        });
    }

    private static Map<String, byte[]> filesOf(Path dir) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        for (String name : List.of("node-id", "checkpoint.json", "usage-journal.json")) {
            Path file = dir.resolve(name);
            if (Files.exists(file)) {
                files.put(name, Files.readAllBytes(file));
            }
        }
        return files;
    }

    private static void restore(Path dir, Map<String, byte[]> files) throws IOException {
        for (String name : List.of("node-id", "checkpoint.json", "usage-journal.json")) {
            Path file = dir.resolve(name);
            if (files.containsKey(name)) {
                Files.write(file, files.get(name));
            } else {
                Files.deleteIfExists(file);
            }
        }
    }

    @Test
    void launchedPodRunsThenFailsWithItsExitCodeAndIsRemoved() {
        connectedAgent();
        scheduler.launch("pod1", 1, smallPod());

        PodReport running = awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_RUNNING);
        assertThat(running.hasStartedAt()).isTrue();
        assertThat(runtime.status("pod1")).map(SandboxStatus::state).contains(SandboxStatus.State.RUNNING);

        runtime.finish("pod1", 3, false);

        PodReport failed = awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_FAILED);
        assertThat(failed.getHasExitCode()).isTrue();
        assertThat(failed.getExitCode()).isEqualTo(3);
        assertThat(failed.getReportSeq()).isGreaterThan(running.getReportSeq());
        assertThat(failed.hasFinishedAt()).isTrue();
        await().atMost(WAIT).until(() -> runtime.status("pod1").isEmpty());
    }

    @Test
    void aRunningPodReportsItsAddressAndAnEndedOneNone() {
        runtime.setAddresses(r -> "10.88.0.7");
        connectedAgent();
        scheduler.launch("pod1", 1, smallPod());

        assertThat(awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_RUNNING).getIp()).isEqualTo("10.88.0.7");

        runtime.finish("pod1", 0, false);
        assertThat(awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_SUCCEEDED).getIp()).isEmpty();
    }

    @Test
    void podEndedByTheMemoryLimitFailsWithOomKilled() {
        connectedAgent();
        scheduler.launch("pod1", 1, smallPod());
        awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_RUNNING);

        runtime.finish("pod1", 137, true);

        PodReport failed = awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_FAILED);
        assertThat(failed.getReason()).isEqualTo("OOMKilled");
        assertThat(failed.getExitCode()).isEqualTo(137);
    }

    @Test
    void podThatExitsZeroSucceeds() {
        runtime.setScripts(r -> FakeRuntime.Script.exitAfter(Duration.ofMillis(50), 0));
        connectedAgent();
        scheduler.launch("pod1", 1, smallPod());

        PodReport done = awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_SUCCEEDED);
        assertThat(done.getExitCode()).isZero();
    }

    @Test
    void sandboxThatCannotStartFailsWithTheRuntimesReason() {
        runtime.setScripts(r -> FakeRuntime.Script.failToStart("image not found: nosuch:1"));
        connectedAgent();
        scheduler.launch("pod1", 1, smallPod());

        PodReport failed = awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_FAILED);
        assertThat(failed.getReason()).isEqualTo("image not found: nosuch:1");
        assertThat(failed.getHasExitCode()).isFalse();
    }

    @Test
    void duplicateLaunchIsIgnored() {
        connectedAgent();
        scheduler.launch("pod1", 1, smallPod());
        awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_RUNNING);

        scheduler.launch("pod1", 1, smallPod());
        scheduler.launch("pod2", 1, smallPod()); // commands run in order: once pod2 runs, the duplicate was handled
        awaitPhase(scheduler, "pod2", PodPhase.POD_PHASE_RUNNING);

        assertThat(scheduler.reports("pod1")).hasSize(1);
        assertThat(runtime.list()).containsExactlyInAnyOrder("pod1", "pod2");
    }

    @Test
    void oversizedAndWrongArchLaunchesAreRefusedWithAReason() {
        AgentDaemon agent = connectedAgent();
        scheduler.launch("big", 1, pod(5000, 64 * MI, Arch.ARCH_ANY));
        scheduler.launch("fits", 1, pod(2000, 64 * MI, Arch.ARCH_ANY));
        scheduler.launch("nomore", 1, pod(2500, 9000 * MI, Arch.ARCH_X86_64));
        scheduler.launch("arm", 1, pod(100, 64 * MI, Arch.ARCH_AARCH64));

        PodReport big = awaitPhase(scheduler, "nomore", PodPhase.POD_PHASE_PENDING);
        awaitPhase(scheduler, "fits", PodPhase.POD_PHASE_RUNNING);
        assertThat(awaitPhase(scheduler, "big", PodPhase.POD_PHASE_PENDING).getReason())
                .isEqualTo("node " + agent.nodeId() + " refused: needs 5 CPU, 4 free");
        assertThat(big.getReason())
                .isEqualTo("node " + agent.nodeId() + " refused: needs 2.5 CPU, 2 free; needs 8.8Gi memory, 7.9Gi free");
        assertThat(awaitPhase(scheduler, "arm", PodPhase.POD_PHASE_PENDING).getReason())
                .isEqualTo("node " + agent.nodeId() + " refused: pod needs aarch64, node is x86_64");
        assertThat(runtime.list()).containsExactly("fits");
    }

    @Test
    void killedPodEndsKilled() {
        connectedAgent();
        scheduler.launch("pod1", 1, smallPod());
        awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_RUNNING);

        scheduler.kill("pod1");

        PodReport killed = awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_KILLED);
        assertThat(killed.getReason()).isEqualTo("Killed");
        await().atMost(WAIT).until(() -> runtime.status("pod1").isEmpty());
    }

    @Test
    void messagesFromAnOlderEpochAreDropped() {
        scheduler.epoch = 5;
        connectedAgent();

        scheduler.send(SchedulerMessage.newBuilder().setEpoch(4).setLaunch(
                io.farget.proto.v1.LaunchPod.newBuilder().setPodId("stale").setAttempt(1).setSpec(smallPod())));
        scheduler.launch("fresh", 1, smallPod());

        awaitPhase(scheduler, "fresh", PodPhase.POD_PHASE_RUNNING);
        assertThat(scheduler.reports("stale")).isEmpty();
        assertThat(runtime.status("stale")).isEmpty();
    }

    @Test
    void reconnectsAfterTheSchedulerRestartsAndReportsItsPodsInRegister() throws Exception {
        AgentDaemon agent = connectedAgent();
        scheduler.launch("pod1", 1, smallPod());
        PodReport running = awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_RUNNING);
        int port = scheduler.port();

        scheduler.close();
        await().atMost(WAIT).until(() -> !agent.isConnected());
        runtime.finish("pod1", 0, false); // happens while disconnected: must not be lost

        TestScheduler restarted = track(TestScheduler.startOn(port));
        await().atMost(WAIT).until(agent::isConnected);

        Register register = await().atMost(WAIT).until(restarted::registers, r -> !r.isEmpty()).get(0);
        assertThat(register.getNodeId()).isEqualTo(agent.nodeId());
        assertThat(register.getPodsList()).singleElement().satisfies(p -> {
            assertThat(p.getPodId()).isEqualTo("pod1");
            assertThat(p.getPhase()).isEqualTo(PodPhase.POD_PHASE_SUCCEEDED);
            assertThat(p.getReportSeq()).isGreaterThan(running.getReportSeq());
        });
    }

    @Test
    void followsAStandbysRedirectToTheLeader() throws Exception {
        TestScheduler standby = track(TestScheduler.start());
        standby.standbyFor = scheduler.address();

        AgentDaemon agent = startAgent(config(standby.address()));

        await().atMost(WAIT).until(agent::isConnected);
        assertThat(scheduler.registers()).hasSize(1);
        assertThat(standby.received).isEmpty();
    }

    @Test
    void findsTheLeaderInZooKeeperAndFollowsALeaderChange() throws Exception {
        var zk = track(new org.apache.curator.test.TestingServer(true));
        var client = org.apache.curator.framework.CuratorFrameworkFactory.newClient(zk.getConnectString(),
                new org.apache.curator.retry.RetryOneTime(100));
        track(client);
        client.start();
        client.create().creatingParentsIfNeeded().forPath(io.farget.common.ZkPaths.LEADER,
                scheduler.address().getBytes(StandardCharsets.UTF_8));
        TestScheduler next = track(TestScheduler.start());

        AgentDaemon agent = startAgent(config().withZkConnect(zk.getConnectString()));
        await().atMost(WAIT).until(() -> scheduler.registers().size() == 1 && agent.isConnected());

        client.setData().forPath(io.farget.common.ZkPaths.LEADER, next.address().getBytes(StandardCharsets.UTF_8));

        await().atMost(WAIT).until(() -> next.registers().size() == 1 && agent.isConnected());
        assertThat(scheduler.registers()).hasSize(1);
    }

    @Test
    void usageReportsCarryIncreasingSequencesAndCumulativeCpu() {
        runtime.setScripts(r -> FakeRuntime.Script.runForever().withUsage(500_000_000L, 32 * MI));
        connectedAgent();
        scheduler.launch("pod1", 1, smallPod());

        List<PodUsageSample> samples = await().atMost(WAIT).until(() -> scheduler.usage("pod1"), s -> s.size() >= 4);

        List<Long> seqs = samples.stream().map(s -> s.getUsage().getSampleSeq()).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates().startsWith(1L);
        List<Long> cpu = samples.stream().map(s -> s.getUsage().getCpuNanos()).toList();
        assertThat(cpu).isSorted();
        assertThat(cpu.get(cpu.size() - 1)).isPositive();
        PodUsageSample last = samples.get(samples.size() - 1);
        assertThat(last.getUsage().getMemoryBytes()).isEqualTo(32 * MI);
        assertThat(last.getUsage().getMemoryByteSeconds()).isPositive();

        // Heartbeats carry what the running pod reserves.
        await().atMost(WAIT).until(() -> scheduler.heartbeats().stream().map(Heartbeat::getAllocated)
                .anyMatch(ResourceMath.of(500, 64 * MI)::equals));
    }

    @Test
    void servesLogsWithEofAndFollowsUntilThePodExits() throws IOException {
        connectedAgent();
        scheduler.launch("pod1", 1, smallPod());
        awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_RUNNING);
        Path file = runtime.logFile("pod1", "main");
        Files.write(file, new byte[150 * 1024], StandardOpenOption.APPEND);

        scheduler.requestLogs("all", "pod1", false);
        List<LogData> all = await().atMost(WAIT).until(() -> scheduler.logs("all"), d -> !d.isEmpty() && d.get(d.size() - 1).getEof());
        assertThat(all).allSatisfy(d -> assertThat(d.getData().size()).isLessThanOrEqualTo(64 * 1024));
        assertThat(all.stream().mapToLong(d -> d.getData().size()).sum()).isEqualTo(Files.size(file));
        assertThat(all.get(all.size() - 1).getError()).isEmpty();

        scheduler.requestLogs("tail", "pod1", true);
        await().atMost(WAIT).until(() -> text(scheduler.logs("tail")).contains("started"));
        Files.writeString(file, "one more line\n", StandardOpenOption.APPEND);
        await().atMost(WAIT).until(() -> text(scheduler.logs("tail")).contains("one more line"));
        assertThat(scheduler.logs("tail")).noneMatch(LogData::getEof);
        Files.writeString(file, "last words\n", StandardOpenOption.APPEND);
        runtime.finish("pod1", 0, false);

        List<LogData> tail = await().atMost(WAIT).until(() -> scheduler.logs("tail"), d -> d.get(d.size() - 1).getEof());
        assertThat(text(tail)).endsWith("one more line\nlast words\n");

        scheduler.requestLogs("missing", "nosuchpod", false);
        LogData missing = await().atMost(WAIT).until(() -> scheduler.logs("missing"), d -> !d.isEmpty()).get(0);
        assertThat(missing.getEof()).isTrue();
        assertThat(missing.getError()).contains("nosuchpod");
    }

    private static String text(List<LogData> chunks) {
        return chunks.stream().map(d -> d.getData().toStringUtf8()).collect(Collectors.joining());
    }

    @Test
    void shutdownPodsStopsAndRemovesEverything() {
        AgentDaemon agent = connectedAgent();
        scheduler.launch("pod1", 1, smallPod());
        scheduler.launch("pod2", 1, smallPod());
        awaitPhase(scheduler, "pod2", PodPhase.POD_PHASE_RUNNING);
        awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_RUNNING);

        agent.shutdownPods(Duration.ofSeconds(1));

        assertThat(runtime.list()).isEmpty();
        awaitPhase(scheduler, "pod1", PodPhase.POD_PHASE_KILLED);
    }
}
