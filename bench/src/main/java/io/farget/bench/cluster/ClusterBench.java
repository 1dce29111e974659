package io.farget.bench.cluster;

import io.farget.scheduler.bootstrap.EmbeddedZooKeeper;
import io.farget.proto.v1.ListPodsRequest;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@code farget bench cluster}: ZooKeeper, K schedulers, N hollow agents, M pods from
 * C clients; waits until every acknowledged pod is RUNNING (or nothing moves for a while), then
 * checks the outcome against the leader's list and the agents' runtimes.
 */
public final class ClusterBench {
    private static final Logger log = LoggerFactory.getLogger(ClusterBench.class);
    /** A run gives up when no pod became RUNNING for this long. */
    private static final Duration NO_PROGRESS = Duration.ofSeconds(60);
    private static final Pattern ZOOKEEPER_THREADS = Pattern.compile(
            "SyncThread.*|NIOServerCxn.*|NIOWorkerThread.*|ProcessThread.*|CommitProcWorkThread.*|CommitProcessor.*"
                    + "|SessionTracker.*|ConnnectionExpirer.*|RequestThrottler.*|FinalRequestProcessor.*");
    private static final String PROBE = "/farget-bench-probe";
    /** How often the run's progress is counted: each count looks at every pod, which at 100,000 pods is not free. */
    private static final Duration POLL = Duration.ofMillis(200);

    private final ClusterSettings settings;
    private final List<SchedulerReplica> replicas = new ArrayList<>();

    private ClusterBench(ClusterSettings settings) {
        this.settings = settings;
    }

    public static ClusterResult run(ClusterSettings settings) throws Exception {
        return new ClusterBench(settings).run();
    }

    private ClusterResult run() throws Exception {
        String runId = "b" + UUID.randomUUID().toString().substring(0, 8);
        Path root = settings.workDir().resolve("farget-bench-" + runId);
        EmbeddedZooKeeper embedded = settings.zk() == null ? EmbeddedZooKeeper.start(root.resolve("zookeeper")) : null;
        String zk = embedded != null ? embedded.connectString() : settings.zk();
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(zk)
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000)).sessionTimeoutMs(30_000).build();
        client.start();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(SharedDialer.threads("bench-timer"));
        HollowFleet fleet = null;
        Leaders leaders = null;
        RunningWatch watch = null;
        try {
            if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("cannot reach ZooKeeper at " + zk);
            }
            for (int i = 0; i < settings.schedulers(); i++) {
                replicas.add(settings.inProcess() ? InProcessScheduler.start(zk)
                        : SchedulerProcess.start(zk, settings.schedulerJavaOptions(), root.resolve("scheduler-" + i + ".log")));
                Files.createDirectories(root);
            }
            await(Duration.ofSeconds(60), () -> leader().isPresent(), "a leader");
            List<HostShape> hosts = settings.traceNodes() != null
                    ? HostShapes.fromTrace(settings.traceNodes(), settings.agents(), 4)
                    : HostShapes.synthetic(settings.agents(), 4);
            long fleetStart = System.nanoTime();
            fleet = HollowFleet.start(hosts, client, root.resolve("agents"), settings.scripts(), settings.fleetThreads());
            HollowFleet started = fleet;
            await(Duration.ofSeconds(60 + settings.agents() / 20), () -> started.connected() == started.size(), "every agent to register");
            log.info("{} hollow agents registered in {} ms", fleet.size(), (System.nanoTime() - fleetStart) / 1_000_000);

            leaders = new Leaders(replicas.stream().map(SchedulerReplica::address).toList());
            // One watch for the warm-up and the measured pods (both request ids start with the run id): a
            // watch's first answer is every pod there is, which would hold up its events at the start
            // of the measured run if it began there.
            watch = new RunningWatch(leaders, timer, runId);
            watch.start();
            int warmPods = settings.warmup() > 0 ? warmUp(leaders, watch, runId + "w") : 0;
            Duration settle = Duration.ZERO;
            if (warmPods > 0) {
                settle = JitSettle.await(this::compileMillis, settings.jitSettleMax());
                log.info("JIT compilers quiet {} ms after the warm-up", settle.toMillis());
            }
            PodPlan plan = plan();
            PodLoad load = new PodLoad(leaders, runId, plan, settings.clients(), settings.batch());
            long zxidBefore = probe(client);
            long cpuBefore = processCpuNanos();
            long zkCpuBefore = zookeeperCpuNanos();
            long schedulerCpuBefore = schedulerCpuNanos();
            long benchJitBefore = JitCompilers.millis();
            long schedulerJitBefore = schedulerCompileMillis();
            long t0 = System.nanoTime();
            Thread submitter = new Thread(() -> {
                try {
                    load.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-submitter");
            submitter.start();
            boolean killed = watchRun(load, watch, warmPods, submitter);
            long t1 = lastRunning(watch, load).orElse(System.nanoTime());
            double elapsed = (t1 - t0) / 1e9;
            long zxidAfter = probe(client);
            double cpu = (processCpuNanos() - cpuBefore) / 1e9;
            double zkCpu = (zookeeperCpuNanos() - zkCpuBefore) / 1e9;
            double schedulerCpu = schedulerCpuBefore < 0 ? -1 : (schedulerCpuNanos() - schedulerCpuBefore) / 1e9;
            double benchJit = benchJitBefore < 0 ? -1 : (JitCompilers.millis() - benchJitBefore) / 1e3;
            double schedulerJit = schedulerJitBefore < 0 ? -1 : (schedulerCompileMillis() - schedulerJitBefore) / 1e3;

            Outcome outcome = check(leaders, runId, load, fleet);
            double[] latencies = latenciesMillis(load, watch);
            if (settings.timeline() != null) {
                Timeline.write(settings.timeline(), t0, load, watch);
            }
            long liveHeap = replicas.stream().filter(SchedulerReplica::isLeader).mapToLong(SchedulerReplica::liveHeapBytes).max().orElse(-1);
            return new ClusterResult(settings.agents(), plan.size(), settings.schedulers(), settings.clients(), settings.batch(),
                    settings.rate(), warmPods,
                    plan.size() / Math.max(1e-9, elapsed),
                    percentile(latencies, 50), percentile(latencies, 99), latencies.length == 0 ? 0 : latencies[latencies.length - 1],
                    outcome.lost + load.failed(), outcome.stuck, outcome.duplicated, load.retries(), killed,
                    replicas.stream().mapToLong(SchedulerReplica::peakHeapBytes).max().orElse(-1),
                    liveHeap,
                    replicas.stream().mapToLong(SchedulerReplica::peakRssBytes).max().orElse(-1),
                    (zxidAfter - zxidBefore) / Math.max(1e-9, elapsed), elapsed,
                    schedulerCpu, embedded == null ? -1 : zkCpu, cpu - (embedded == null ? 0 : zkCpu),
                    settle.toMillis() / 1e3, schedulerJit, benchJit, plan instanceof TraceReplay replay ? replay.compression() : 0);
        } finally {
            if (watch != null) {
                watch.close();
            }
            if (leaders != null) {
                leaders.close();
            }
            replicas.forEach(SchedulerReplica::close);
            if (fleet != null) {
                fleet.close();
            }
            timer.shutdownNow();
            client.close();
            if (embedded != null) {
                embedded.close();
            }
            HollowFleet.deleteTree(root);
        }
    }

    /**
     * Submits the warm-up pods the way the measured ones will be, and waits until they run; returns
     * how many do. They stay (they are counted in nothing but the scheduler's heap): deleting them
     * would put their deletions into the measured run.
     */
    private int warmUp(Leaders leaders, RunningWatch watch, String warmupRunId) throws InterruptedException {
        long start = System.nanoTime();
        PodLoad load = new PodLoad(leaders, warmupRunId, PodPlan.synthetic(settings.warmup(), settings.rate()), settings.clients(),
                settings.batch());
        load.run();
        await(NO_PROGRESS, () -> watch.runningCount() >= load.acknowledged(), "the warm-up pods to run");
        log.info("{} warm-up pods RUNNING after {} ms", load.acknowledged(), (System.nanoTime() - start) / 1_000_000);
        return load.acknowledged();
    }

    /** Waits until every acknowledged pod runs (and all were submitted), killing the leader on the way if asked. */
    private boolean watchRun(PodLoad load, RunningWatch watch, int warmPods, Thread submitter) throws InterruptedException {
        boolean killed = false;
        int lastRunning = -1;
        long lastProgress = System.nanoTime();
        long lastLog = 0;
        while (true) {
            int acknowledged = load.acknowledged();
            if (!killed && settings.killLeaderAt() >= 0 && acknowledged >= load.size() * settings.killLeaderAt() / 100) {
                Optional<SchedulerReplica> leader = leader();
                if (leader.isPresent()) {
                    log.info("Killing the leader {} at {} of {} pods acknowledged", leader.get().address(), acknowledged, load.size());
                    leader.get().kill();
                    killed = true;
                }
            }
            int running = watch.runningCount() - warmPods;
            boolean submitted = !submitter.isAlive();
            if (submitted && running >= load.acknowledged()) {
                return killed;
            }
            if (running != lastRunning) {
                lastRunning = running;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > NO_PROGRESS.toNanos()) {
                log.warn("No pod became RUNNING for {} s; giving up with {} of {} running", NO_PROGRESS.toSeconds(), running, acknowledged);
                submitter.interrupt();
                return killed;
            }
            if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(5)) {
                lastLog = System.nanoTime();
                log.info("{} pods acknowledged, {} RUNNING", acknowledged, running);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static Optional<Long> lastRunning(RunningWatch watch, PodLoad load) {
        return load.submittedAt().keySet().stream().map(watch.runningAt()::get).filter(t -> t != null).max(Long::compare);
    }

    private static double[] latenciesMillis(PodLoad load, RunningWatch watch) {
        List<Double> out = new ArrayList<>();
        load.submittedAt().forEach((id, submitted) -> {
            Long running = watch.runningAt().get(id);
            if (running != null) {
                out.add((running - submitted) / 1e6);
            }
        });
        return out.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private record Outcome(long lost, long stuck, long duplicated) {}

    /** The leader's list against what was acknowledged, and the agents' runtimes against each other. */
    private Outcome check(Leaders leaders, String runId, PodLoad load, HollowFleet fleet) {
        List<Pod> pods = listAll(leaders);
        Map<String, Integer> byRequest = new HashMap<>();
        Map<String, Pod> byId = new HashMap<>();
        for (Pod pod : pods) {
            if (pod.getRequestId().startsWith(runId + "-")) {
                byRequest.merge(pod.getRequestId(), 1, Integer::sum);
                byId.put(pod.getId(), pod);
            }
        }
        long lost = 0;
        long stuck = 0;
        for (String id : load.submittedAt().keySet()) {
            Pod pod = byId.get(id);
            if (pod == null || isOver(pod.getStatus().getPhase())) {
                if (lost++ < 10) {
                    log.warn("Lost pod {}: {}", id, pod == null ? "missing from the leader's list"
                            : pod.getStatus().getPhase() + " " + pod.getStatus().getReason() + " (" + pod.getSpec().getName() + ")");
                }
            } else if (pod.getStatus().getPhase() != PodPhase.POD_PHASE_RUNNING && !settings.scripts().ends(pod.getSpec())) {
                stuck++;
            }
        }
        long duplicated = byRequest.values().stream().filter(n -> n > 1).count() + fleet.runningOnMoreThanOneAgent().size();
        return new Outcome(lost, stuck, duplicated);
    }

    /** The measured pods: the synthetic mix, or a trace replayed. */
    private PodPlan plan() {
        if (settings.tracePods() == null) {
            return PodPlan.synthetic(settings.pods(), settings.rate());
        }
        TraceReplay replay = TraceReplay.load(settings.tracePods(), settings.replaySpan(), settings.pods());
        log.info("Replaying {} pods of {}, {} trace seconds per second", replay.size(), settings.tracePods(), (long) replay.compression());
        return replay;
    }

    private static boolean isOver(PodPhase phase) {
        return phase == PodPhase.POD_PHASE_LOST || phase == PodPhase.POD_PHASE_KILLED
                || phase == PodPhase.POD_PHASE_FAILED;
    }

    private static List<Pod> listAll(Leaders leaders) {
        for (String address : leaders.addresses()) {
            ManagedChannel channel = ManagedChannelBuilder.forTarget(address).usePlaintext()
                    .maxInboundMessageSize(1 << 30).build();
            try {
                return PodServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                        .listPods(ListPodsRequest.getDefaultInstance()).getPodsList();
            } catch (RuntimeException e) {
                log.debug("Listing pods on {} failed: {}", address, e.toString());
            } finally {
                channel.shutdownNow();
            }
        }
        throw new IllegalStateException("no scheduler answered ListPods");
    }

    private Optional<SchedulerReplica> leader() {
        return replicas.stream().filter(SchedulerReplica::isLeader).findFirst();
    }

    /** Writes the probe znode; its mzxid counts every ZooKeeper transaction before it. */
    private static long probe(CuratorFramework client) throws Exception {
        byte[] now = Long.toString(System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        Stat stat = client.checkExists().forPath(PROBE);
        if (stat == null) {
            client.create().withMode(CreateMode.EPHEMERAL).forPath(PROBE, now);
            stat = client.checkExists().forPath(PROBE);
        } else {
            stat = client.setData().forPath(PROBE, now);
        }
        return stat.getMzxid() & 0xffffffffL; // the counter part; the epoch part changes only with a new ZooKeeper leader
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long zookeeperCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && ZOOKEEPER_THREADS.matcher(info.getThreadName()).matches()) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    /** JIT compile time of this JVM and of every scheduler replica in a process of its own. */
    private long compileMillis() {
        return Math.max(0, JitCompilers.millis()) + Math.max(0, schedulerCompileMillis());
    }

    private long schedulerCompileMillis() {
        return sumOverReplicas(SchedulerReplica::compileMillis);
    }

    private long schedulerCpuNanos() {
        return sumOverReplicas(SchedulerReplica::cpuNanos);
    }

    /** A figure summed over the replicas, or -1 when any of them cannot tell it (one in this JVM). */
    private long sumOverReplicas(ToLongFunction<SchedulerReplica> figure) {
        long sum = 0;
        for (SchedulerReplica r : replicas) {
            long value = figure.applyAsLong(r);
            if (value < 0) {
                return -1;
            }
            sum += value;
        }
        return sum;
    }

    private static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }
}
