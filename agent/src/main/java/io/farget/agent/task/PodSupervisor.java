package io.farget.agent.task;

import com.google.common.util.concurrent.MoreExecutors;
import io.farget.agent.capacity.HostFacts;
import io.farget.agent.state.AgentCheckpoint;
import io.farget.common.PodPhases;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.ContainerStatus;
import io.farget.proto.v1.PodSpec;
import io.farget.sandbox.ContainerRuntimeStatus;
import io.farget.proto.v1.KillPod;
import io.farget.proto.v1.LaunchPod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodUsage;
import io.farget.proto.v1.PodUsageSample;
import io.farget.proto.v1.Resources;
import io.farget.sandbox.SandboxException;
import io.farget.sandbox.SandboxRequest;
import io.farget.sandbox.SandboxRuntime;
import io.farget.sandbox.SandboxStats;
import io.farget.sandbox.SandboxStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pods the leader sends: admits or refuses each launch, starts sandboxes on worker threads,
 * turns exits into final reports and cleans the sandboxes up, and keeps finished pods for a while
 * so a reconnecting agent can still tell the leader how they ended.
 *
 * <p>Commands (launch, kill) run one at a time in arrival order on a sequential view of the worker
 * pool, so admission sees a consistent allocation and never blocks the gRPC thread; slow runtime
 * calls (start, stop, remove) run on the worker pool itself.
 */
public final class PodSupervisor {
    /** Beyond a shutdown's grace period: time for the SIGKILL, the reaper and the final report. */
    private static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(5);
    /** How far an adopted pod's usage sample_seq jumps: more samples than one journal flush period can hold. */
    static final long SAMPLE_SEQ_GAP = 1_000;
    /**
     * How often the containers of every running pod are read although the runtime tells their
     * changes: a safety net, should a change ever go untold. Runtimes that cannot tell are read on
     * every {@link #refresh()}.
     */
    static final Duration CONTAINER_SAFETY_POLL = Duration.ofSeconds(10);
    private final Object endings = new Object();

    private static final Logger log = LoggerFactory.getLogger(PodSupervisor.class);

    private final String nodeId;
    private final HostFacts host;
    private final SandboxRuntime runtime;
    private final AgentCheckpoint checkpoint;
    private final Executor workers;
    private final Executor commands;
    private final Clock clock;
    private final PodPolicy policy;
    private final PodEvents events;
    private final Map<String, PodRecord> pods = new ConcurrentHashMap<>();
    private final Allocation allocation = new Allocation();
    /**
     * The pods a {@link #refresh()} must look at between full reads: those still starting (their
     * pull progress) and those whose containers the runtime told changed. Most pods just run, and
     * a refresh passes them by without a look.
     */
    private final Set<PodRecord> watched = ConcurrentHashMap.newKeySet();
    private volatile boolean detached;
    /** Whether the runtime tells when a running pod's containers change, so they need no polling. */
    private volatile boolean runtimeTellsContainerChanges;
    private volatile Instant nextContainerSafetyPoll = Instant.MIN; // written under this

    public PodSupervisor(String nodeId, HostFacts host, SandboxRuntime runtime, AgentCheckpoint checkpoint,
                         Executor workers, Clock clock, PodPolicy policy, PodEvents events) {
        this.nodeId = nodeId;
        this.host = host;
        this.runtime = runtime;
        this.checkpoint = checkpoint;
        this.workers = workers;
        this.commands = MoreExecutors.newSequentialExecutor(workers);
        this.clock = clock;
        this.policy = policy;
        this.events = events;
    }

    /** Starts listening to the runtime's exits and container changes. */
    public void attach() {
        runtime.onExit(this::exited);
        runtimeTellsContainerChanges = runtime.onContainerChange(this::containersChanged);
    }

    /** Stops reacting to the runtime: pods keep running, a later agent adopts them. */
    public void detach() {
        detached = true;
        runtime.onExit((podId, status) -> { });
        runtime.onContainerChange(podId -> { });
    }

    /**
     * Takes over the pods an earlier life of this agent left running (call after {@link #attach()},
     * before the first Register): each one the runtime can adopt is held again under its attempt, as
     * RUNNING, or ended with its real exit code when it ended while the agent was away; what cannot
     * be adopted is removed. Usage continues from {@code lastUsage} (the journal's newest counters of
     * the attempt); cgroup counters are cumulative, so the samples go on without gap or double count.
     * Their sequence jumps by {@link #SAMPLE_SEQ_GAP}, above any sample sent but not yet journaled.
     *
     * @return how many pods were adopted
     */
    public int adoptEarlierPods(java.util.function.BiFunction<String, Integer, Optional<PodUsage>> lastUsage) {
        int adopted = 0;
        for (String podId : runtime.list()) {
            if (pods.containsKey(podId)) {
                continue;
            }
            Optional<SandboxRequest> request;
            try {
                request = runtime.adopt(podId);
            } catch (RuntimeException e) {
                log.warn("Could not adopt pod {}", podId, e);
                request = Optional.empty();
            }
            if (request.isEmpty()) {
                log.info("Removing the sandbox of pod {}: it cannot be adopted", podId);
                removeSandbox(podId);
                continue;
            }
            PodRecord r = new PodRecord(podId, request.get().attempt(), request.get().spec());
            synchronized (r) {
                r.started = true;
                r.phase = PodPhase.POD_PHASE_RUNNING;
                r.startedAt = startTimeOf(podId);
                readContainersLocked(r);
                r.ip = runtime.address(podId).orElse("");
                // With no counters journaled yet, samples may have been sent all the same: jump anyway.
                PodUsage continued = lastUsage.apply(podId, r.attempt).orElseGet(() -> UsageMath.initial(r.startedAt));
                r.usage = continued.toBuilder().setSampleSeq(continued.getSampleSeq() + SAMPLE_SEQ_GAP).build();
            }
            pods.put(podId, r);
            allocation.reserve(r.size);
            adopted++;
            log.info("Adopted pod {} attempt {} ({}) from an earlier agent", podId, r.attempt, r.spec.getName());
            runtime.status(podId).filter(st -> st.state() == SandboxStatus.State.EXITED)
                    .ifPresent(st -> finish(podId, st)); // it ended while we were away; the listener may have been first
        }
        return adopted;
    }

    public void launch(LaunchPod launch) {
        commands.execute(() -> admit(launch));
    }

    public void kill(KillPod kill) {
        commands.execute(() -> requestKill(kill));
    }

    private void admit(LaunchPod launch) {
        String podId = launch.getPodId();
        PodRecord existing = pods.get(podId);
        if (existing != null) {
            synchronized (existing) {
                if (existing.attempt >= launch.getAttempt()) {
                    log.debug("Ignoring LaunchPod {} attempt {}: attempt {} is already here", podId, launch.getAttempt(), existing.attempt);
                    return;
                }
                if (!existing.isTerminal()) {
                    refuse(launch, "node " + nodeId + " refused: attempt " + existing.attempt + " of this pod is still running");
                    return;
                }
            }
        }
        Optional<String> refusal = Admission.refusal(nodeId, host.arch(), host.capacity(), allocated(), launch.getSpec());
        if (refusal.isPresent()) {
            refuse(launch, refusal.get());
            return;
        }
        PodRecord record = new PodRecord(podId, launch.getAttempt(), launch.getSpec());
        PodRecord ended = pods.put(podId, record);
        if (ended != null) {
            watched.remove(ended); // a refresh that reads every pod would never meet it again
        }
        allocation.reserve(record.size);
        watched.add(record);
        log.info("Starting pod {} attempt {} ({})", podId, record.attempt, launch.getSpec().getName());
        workers.execute(() -> start(record));
    }

    private void refuse(LaunchPod launch, String reason) {
        log.info("Refused pod {} attempt {}: {}", launch.getPodId(), launch.getAttempt(), reason);
        events.report(PodReport.newBuilder()
                .setPodId(launch.getPodId())
                .setAttempt(launch.getAttempt())
                .setReportSeq(checkpoint.nextReportSeq())
                .setPhase(PodPhase.POD_PHASE_PENDING)
                .setReason(reason)
                .build());
    }

    private void start(PodRecord r) {
        try {
            runtime.start(new SandboxRequest(r.podId, r.attempt, r.spec));
        } catch (SandboxException e) {
            failToStart(r, e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.warn("The sandbox runtime broke while starting pod {}", r.podId, e);
            failToStart(r, "sandbox error: " + e.getMessage());
            return;
        }
        Duration stopGrace = null;
        synchronized (r) {
            r.started = true;
            if (r.isTerminal()) {
                return; // it already exited, and that was reported
            }
            r.phase = PodPhase.POD_PHASE_RUNNING;
            r.reason = "";
            r.startedAt = startTimeOf(r.podId);
            readContainersLocked(r);
            r.ip = runtime.address(r.podId).orElse("");
            r.usage = UsageMath.initial(r.startedAt);
            sampleLocked(r); // the RUNNING report carries this first sample
            events.report(r.report(checkpoint.nextReportSeq()));
            if (r.killRequested) {
                stopGrace = r.killGrace;
            }
        }
        log.info("Pod {} attempt {} is running", r.podId, r.attempt);
        if (stopGrace != null) {
            stopOnWorker(r.podId, stopGrace);
        }
    }

    private Instant startTimeOf(String podId) {
        return runtime.status(podId).map(SandboxStatus::startedAt).orElseGet(clock::instant);
    }

    private void failToStart(PodRecord r, String reason) {
        synchronized (r) {
            if (r.isTerminal()) {
                return;
            }
            endLocked(r, PodPhase.POD_PHASE_FAILED, reason);
            r.finishedAt = clock.instant();
            events.report(r.report(checkpoint.nextReportSeq()));
        }
        log.info("Pod {} attempt {} failed to start: {}", r.podId, r.attempt, reason);
        signalEnded();
        removeSandbox(r.podId);
    }

    private void requestKill(KillPod kill) {
        PodRecord r = pods.get(kill.getPodId());
        if (r == null) {
            log.debug("KillPod for unknown pod {}: nothing to do", kill.getPodId());
            return;
        }
        Duration grace = killGrace(r.spec, kill);
        synchronized (r) {
            if (r.isTerminal() || r.killRequested) {
                return;
            }
            r.killRequested = true;
            r.killGrace = grace;
            if (!r.started) {
                return; // start() stops it as soon as the sandbox exists
            }
        }
        log.info("Killing pod {} attempt {} (grace {} ms): {}", r.podId, r.attempt, grace.toMillis(), kill.getReason());
        stopOnWorker(r.podId, grace);
    }

    /** The pod's own termination grace period when its spec sets one, else the kill's, else the default. */
    static Duration killGrace(PodSpec spec, KillPod kill, Duration fallback) {
        if (spec.getTerminationGracePeriodMillis() > 0) {
            return Duration.ofMillis(spec.getTerminationGracePeriodMillis());
        }
        return kill.getGracePeriodMillis() > 0 ? Duration.ofMillis(kill.getGracePeriodMillis()) : fallback;
    }

    private Duration killGrace(PodSpec spec, KillPod kill) {
        return killGrace(spec, kill, policy.defaultKillGrace());
    }

    /**
     * Reports what changed inside pods that have not ended: pull progress of a pod still starting
     * (reason "Pulling REF: 12.3 MiB") and its containers' states and restart counts while it runs.
     * Running pods' containers are read only when the runtime told of a change (or cannot tell), and
     * all of them every {@link #CONTAINER_SAFETY_POLL}. Cheap: run it every fraction of a second,
     * off the gRPC thread.
     */
    public void refresh() {
        boolean readAllContainers = !runtimeTellsContainerChanges || containerSafetyPollDue();
        // A copy of the watched: a pod still starting goes back into the set, and an iterator of the
        // set itself could meet it again, and again, for as long as it starts.
        for (PodRecord r : readAllContainers ? pods.values() : List.copyOf(watched)) {
            watched.remove(r); // before taking the flag: a change told from now on puts it back
            boolean told = r.containersChanged.getAndSet(false);
            synchronized (r) {
                if (r.isTerminal()) {
                    continue;
                }
                boolean changed = false;
                if (r.phase == PodPhase.POD_PHASE_SCHEDULED) {
                    watched.add(r); // until it runs
                    String progress = runtime.progress(r.podId).orElse("");
                    if (!progress.isEmpty() && !progress.equals(r.reason)) {
                        r.reason = progress;
                        changed = true;
                    }
                } else if (r.phase == PodPhase.POD_PHASE_RUNNING && (told || readAllContainers)) {
                    if (readContainersLocked(r)) {
                        changed = true;
                    }
                }
                if (changed) {
                    events.report(r.report(checkpoint.nextReportSeq()));
                }
            }
        }
    }

    /**
     * Whether a {@link #refresh()} now would look at any pod: a pod starting, a change told, the
     * safety poll due, or a runtime that cannot tell. Cheap enough for a timer thread, which then
     * hands the refresh to a worker only when it has something to do.
     */
    public boolean refreshDue() {
        return !runtimeTellsContainerChanges || !watched.isEmpty() || !clock.instant().isBefore(nextContainerSafetyPoll);
    }

    private synchronized boolean containerSafetyPollDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextContainerSafetyPoll)) {
            return false;
        }
        nextContainerSafetyPoll = now.plus(CONTAINER_SAFETY_POLL);
        return true;
    }

    /** The runtime's word that a running pod's containers changed: the next {@link #refresh()} reads them. */
    private void containersChanged(String podId) {
        PodRecord r = pods.get(podId);
        if (r != null) {
            r.containersChanged.set(true);
            watched.add(r);
        }
    }

    /**
     * Reads a pod's containers (keeping the known ones when the runtime has none); true when they
     * differ from the ones last reported. The runtime's answer is compared first, so containers
     * that stay as they were cost no conversion. Holds r's monitor.
     */
    private boolean readContainersLocked(PodRecord r) {
        List<ContainerRuntimeStatus> now = runtime.containers(r.podId);
        if (now.isEmpty() || now.equals(r.runtimeContainers)) {
            return false;
        }
        r.runtimeContainers = now;
        List<ContainerStatus> converted = ContainerStatuses.of(now);
        if (converted.equals(r.containers)) {
            return false;
        }
        r.containers = converted;
        return true;
    }

    private void stopOnWorker(String podId, Duration grace) {
        workers.execute(() -> {
            try {
                runtime.stop(podId, grace);
            } catch (RuntimeException e) {
                log.warn("Could not stop pod {}", podId, e);
            }
        });
    }

    private void exited(String podId, SandboxStatus status) {
        if (detached) {
            return;
        }
        try {
            workers.execute(() -> finish(podId, status));
        } catch (RejectedExecutionException e) {
            log.debug("Agent closing; exit of pod {} left for the next agent", podId);
        }
    }

    private void finish(String podId, SandboxStatus status) {
        PodRecord r = pods.get(podId);
        if (r == null) {
            log.debug("Exit of pod {} that this agent does not hold", podId);
            return;
        }
        synchronized (r) {
            if (r.isTerminal()) {
                return;
            }
            if (r.startedAt == null) {
                r.startedAt = status.startedAt() != null ? status.startedAt() : clock.instant();
                r.usage = UsageMath.initial(r.startedAt);
            }
            sampleLocked(r); // the final report carries this last sample
            r.exitCode = status.exitCode();
            r.finishedAt = status.finishedAt() != null ? status.finishedAt() : clock.instant();
            List<ContainerRuntimeStatus> last = runtime.containers(podId);
            r.containers = last.isEmpty() ? r.containers : ContainerStatuses.of(last);
            ExitOutcome outcome = ExitOutcome.of(status, r.killRequested, last);
            endLocked(r, outcome.phase(), outcome.reason());
            events.report(r.report(checkpoint.nextReportSeq()));
        }
        log.info("Pod {} attempt {} ended: {} (exit code {})", podId, r.attempt, PodPhases.name(r.phase), status.exitCode());
        signalEnded();
        removeSandbox(podId);
    }

    /** Moves a pod that has not ended to its terminal {@code phase}, which frees what it reserved. Holds r's monitor. */
    private void endLocked(PodRecord r, PodPhase phase, String reason) {
        boolean wasHolding = !r.isTerminal();
        r.phase = phase;
        r.reason = reason;
        if (wasHolding && r.isTerminal()) {
            allocation.release(r.size);
        }
    }

    private void removeSandbox(String podId) {
        try {
            runtime.remove(podId);
        } catch (RuntimeException e) {
            log.warn("Could not remove the sandbox of pod {}", podId, e);
        }
    }

    /** Folds a fresh stats sample into the pod's usage; null when the runtime has none. Holds r's monitor. */
    private PodUsageSample sampleLocked(PodRecord r) {
        Optional<SandboxStats> stats;
        try {
            stats = runtime.stats(r.podId);
        } catch (RuntimeException e) {
            log.debug("No stats for pod {}: {}", r.podId, e.getMessage());
            return null;
        }
        if (stats.isEmpty()) {
            return null;
        }
        r.usage = UsageMath.next(r.usage, stats.get(), runtime.containerStats(r.podId), clock.instant());
        return PodUsageSample.newBuilder().setPodId(r.podId).setAttempt(r.attempt).setUsage(r.usage).build();
    }

    /** One fresh usage sample per running pod. May call the runtime: run it off the gRPC thread. */
    public List<PodUsageSample> sampleUsage() {
        List<PodUsageSample> samples = new ArrayList<>();
        for (PodRecord r : pods.values()) {
            synchronized (r) {
                if (r.phase == PodPhase.POD_PHASE_RUNNING) {
                    PodUsageSample sample = sampleLocked(r);
                    if (sample != null) {
                        samples.add(sample);
                    }
                }
            }
        }
        return samples;
    }

    /** The latest report of every pod held, for Register; pods still starting are reported SCHEDULED. */
    public List<PodReport> currentReports() {
        List<PodReport> reports = new ArrayList<>();
        for (PodRecord r : pods.values()) {
            synchronized (r) {
                reports.add(r.lastReport != null ? r.lastReport : r.report(checkpoint.nextReportSeq()));
            }
        }
        return reports;
    }

    /** What the pods that have not finished reserve. */
    public Resources allocated() {
        return allocation.total();
    }

    public Optional<PodView> find(String podId) {
        PodRecord r = pods.get(podId);
        if (r == null) {
            return Optional.empty();
        }
        synchronized (r) {
            return Optional.of(new PodView(r.podId, r.attempt,
                    r.spec.getContainersList().stream().map(ContainerSpec::getName).toList(), r.isTerminal()));
        }
    }

    /** Forgets pods that finished longer than the retention ago. */
    public void forgetFinished() {
        Instant cutoff = clock.instant().minus(policy.retention());
        pods.values().removeIf(r -> {
            synchronized (r) {
                boolean forget = r.isTerminal() && r.finishedAt != null && r.finishedAt.isBefore(cutoff);
                if (forget) {
                    watched.remove(r);
                }
                return forget;
            }
        });
    }

    /**
     * Stops every pod (SIGTERM, SIGKILL after {@code grace}) and removes every sandbox the runtime
     * holds, waiting at most the grace plus a few seconds. Works after {@link #detach()} too.
     */
    public void shutdownPods(Duration grace) {
        List<String> live = new ArrayList<>();
        for (PodRecord r : pods.values()) {
            synchronized (r) {
                if (!r.isTerminal()) {
                    r.killRequested = true;
                    live.add(r.podId);
                }
            }
        }
        Set<String> all = new LinkedHashSet<>(pods.keySet());
        all.addAll(runtime.list());
        log.info("Stopping {} pods and removing {} sandboxes", live.size(), all.size());
        live.forEach(id -> runtime.stop(id, grace));
        awaitEnded(live, grace.plus(SHUTDOWN_MARGIN));
        all.forEach(this::removeSandbox);
    }

    /**
     * Waits until every pod in {@code ids} has ended and its final report is sent, or the deadline
     * passes; the exit path signals {@link #endings} each time a pod ends.
     */
    private void awaitEnded(List<String> ids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (endings) {
            while (ids.stream().map(pods::get).anyMatch(r -> r != null && !r.isTerminal())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    log.warn("Some pods did not end within {} ms; removing them anyway", timeout.toMillis());
                    return;
                }
                try {
                    endings.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void signalEnded() {
        synchronized (endings) {
            endings.notifyAll();
        }
    }

    public String nodeId() {
        return nodeId;
    }
}
