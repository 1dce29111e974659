package io.farget.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A fake runtime: no processes, no cgroups. Each pod follows a {@link Script} chosen by a function of
 * its request (run for a while and exit with a code, fail to start, or run until stopped). Used by
 * tests and by hollow agents, which run the real agent code at scale; this is the only fake runtime.
 */
public final class FakeRuntime implements SandboxRuntime {

    /** What a fake pod does. {@code runFor} null means "until stopped". */
    public record Script(Duration runFor, int exitCode, String startError, long cpuNanosPerSecond, long memoryBytes) {
        public static Script runForever() {
            return new Script(null, 0, null, 0, 0);
        }

        public static Script exitAfter(Duration runFor, int exitCode) {
            return new Script(runFor, exitCode, null, 0, 0);
        }

        public static Script failToStart(String error) {
            return new Script(null, 0, error, 0, 0);
        }

        public Script withUsage(long cpuNanosPerSecond, long memoryBytes) {
            return new Script(runFor, exitCode, startError, cpuNanosPerSecond, memoryBytes);
        }
    }

    private final Map<String, FakePod> pods = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final boolean ownsTimer;
    private final Clock clock;
    private final Path logDir;
    private volatile Function<SandboxRequest, Script> scripts = r -> Script.runForever();
    private volatile ExitListener listener = (id, status) -> { };
    private volatile Function<SandboxRequest, String> addresses = r -> null;

    /**
     * @param timer shared by many fake runtimes in one process (hollow agents); null to own one
     * @param logDir where fake log files go; null for none
     */
    public FakeRuntime(Clock clock, ScheduledExecutorService timer, Path logDir) {
        this.clock = clock;
        this.ownsTimer = timer == null;
        this.timer = timer != null ? timer : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-runtime");
            t.setDaemon(true);
            return t;
        });
        this.logDir = logDir;
    }

    public FakeRuntime() {
        this(Clock.systemUTC(), null, null);
    }

    /** Chooses each new pod's script. */
    public void setScripts(Function<SandboxRequest, Script> scripts) {
        this.scripts = scripts;
    }

    /** Chooses each new pod's IP address (null: none), as a pod network would; by default no pod has one. */
    public void setAddresses(Function<SandboxRequest, String> addresses) {
        this.addresses = addresses;
    }

    @Override
    public void start(SandboxRequest request) throws SandboxException {
        if (pods.containsKey(request.podId())) {
            return;
        }
        Script script = scripts.apply(request);
        if (script.startError() != null) {
            throw new SandboxException(script.startError());
        }
        FakePod pod = new FakePod(request, script, clock.instant(), addresses.apply(request));
        pods.put(request.podId(), pod);
        writeLog(request, "fake pod " + request.podId() + " started\n");
        if (script.runFor() != null) {
            pod.exitTimer = timer.schedule(() -> exit(pod, script.exitCode(), false), script.runFor().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop(String podId, Duration grace) {
        FakePod pod = pods.get(podId);
        if (pod != null) {
            exit(pod, 143, false);
        }
    }

    /** Ends a running fake pod now, as if its process exited (oomKilled: as if the memory limit killed it). */
    public void finish(String podId, int exitCode, boolean oomKilled) {
        FakePod pod = pods.get(podId);
        if (pod != null) {
            exit(pod, exitCode, oomKilled);
        }
    }

    private void exit(FakePod pod, int exitCode, boolean oomKilled) {
        SandboxStatus status;
        synchronized (pod) {
            if (pod.status.state() == SandboxStatus.State.EXITED) {
                return;
            }
            if (pod.exitTimer != null) {
                pod.exitTimer.cancel(false);
            }
            pod.stats = statsOf(pod);
            status = SandboxStatus.exited(exitCode, oomKilled, pod.startedAt, clock.instant());
            pod.status = status;
        }
        listener.exited(pod.request.podId(), status);
    }

    @Override
    public void remove(String podId) {
        FakePod pod = pods.remove(podId);
        if (pod != null && pod.exitTimer != null) {
            pod.exitTimer.cancel(false);
        }
    }

    /** The scripted address while the pod runs; an ended pod's address is free again. */
    @Override
    public Optional<String> address(String podId) {
        FakePod pod = pods.get(podId);
        return pod == null || pod.status.state() == SandboxStatus.State.EXITED ? Optional.empty() : Optional.ofNullable(pod.address);
    }

    @Override
    public Optional<SandboxStatus> status(String podId) {
        FakePod pod = pods.get(podId);
        return pod == null ? Optional.empty() : Optional.of(pod.status);
    }

    /**
     * Init containers as completed, the containers as the pod is: running, or exited with its code
     * (OOM-killed ones named in the first container, as a scripted pod has only one outcome).
     */
    @Override
    public List<ContainerRuntimeStatus> containers(String podId) {
        FakePod pod = pods.get(podId);
        return pod == null ? List.of() : pod.containers();
    }

    /** The containers of {@code pod} in {@code status}: they follow from the status alone, so each status's list is built once. */
    private static List<ContainerRuntimeStatus> containersIn(FakePod pod, SandboxStatus status) {
        List<ContainerRuntimeStatus> out = new ArrayList<>();
        for (var c : pod.request.spec().getInitContainersList()) {
            out.add(ContainerRuntimeStatus.exited(c.getName(), true, 0, false, pod.startedAt, pod.startedAt));
        }
        boolean first = true;
        for (String name : pod.containerNames) {
            if (status.state() == SandboxStatus.State.EXITED) {
                out.add(ContainerRuntimeStatus.exited(name, false, status.exitCode(), first && status.oomKilled(),
                        pod.startedAt, status.finishedAt()));
            } else {
                out.add(ContainerRuntimeStatus.running(name, false, pod.startedAt));
            }
            first = false;
        }
        return List.copyOf(out);
    }

    @Override
    public Optional<SandboxStats> stats(String podId) {
        FakePod pod = pods.get(podId);
        if (pod == null) {
            return Optional.empty();
        }
        synchronized (pod) {
            return Optional.of(pod.status.state() == SandboxStatus.State.EXITED ? pod.stats : statsOf(pod));
        }
    }

    /**
     * The pod's counters shared evenly among its containers (the first takes the remainders), so the
     * containers always add up to the pod exactly.
     */
    @Override
    public List<ContainerStats> containerStats(String podId) {
        FakePod fake = pods.get(podId);
        if (fake == null) {
            return List.of();
        }
        SandboxStats total;
        synchronized (fake) {
            total = fake.status.state() == SandboxStatus.State.EXITED ? fake.stats : statsOf(fake);
        }
        List<String> names = fake.containerNames;
        int n = names.size();
        List<ContainerStats> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ContainerStats(names.get(i), new SandboxStats(
                    share(total.cpuNanos(), n, i), share(total.memoryBytes(), n, i), share(total.memoryHighWaterBytes(), n, i))));
        }
        return out;
    }

    private static long share(long total, int parts, int index) {
        return total / parts + (index == 0 ? total % parts : 0);
    }

    private SandboxStats statsOf(FakePod pod) {
        long elapsedNanos = Duration.between(pod.startedAt, clock.instant()).toNanos();
        long cpu = (long) (elapsedNanos / 1e9 * pod.script.cpuNanosPerSecond());
        return new SandboxStats(cpu, pod.script.memoryBytes(), pod.script.memoryBytes());
    }

    @Override
    public Path logFile(String podId, String container) {
        Path dir = logDir != null ? logDir : Path.of(System.getProperty("java.io.tmpdir"), "farget-fake-logs");
        return dir.resolve(podId).resolve(container + ".log");
    }

    private void writeLog(SandboxRequest request, String line) {
        if (logDir == null || request.spec().getContainersCount() == 0) {
            return;
        }
        Path file = logFile(request.podId(), request.spec().getContainers(0).getName());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fake pod outlives the agent that started it, like a real one: a later agent on this runtime adopts it. */
    @Override
    public Optional<SandboxRequest> adopt(String podId) {
        FakePod pod = pods.get(podId);
        return pod == null ? Optional.empty() : Optional.of(pod.request);
    }

    @Override
    public List<String> list() {
        return new ArrayList<>(pods.keySet());
    }

    @Override
    public void onExit(ExitListener listener) {
        this.listener = listener;
    }

    /** A fake pod's containers change only when the pod ends, which the exit listener tells: nothing to poll. */
    @Override
    public boolean onContainerChange(ContainerListener listener) {
        return true;
    }

    @Override
    public void close() {
        if (ownsTimer) {
            timer.shutdownNow();
        }
    }

    private static final class FakePod {
        final SandboxRequest request;
        final Script script;
        final Instant startedAt;
        final String address;
        /** The containers' names as runc would know them: a nameless one is "main". */
        final List<String> containerNames;
        volatile SandboxStatus status;
        SandboxStats stats;
        ScheduledFuture<?> exitTimer;
        /** The containers as of one status (a pod has two in its life): asked for far more often than the status changes. */
        private volatile ContainersAt containersAt;

        FakePod(SandboxRequest request, Script script, Instant startedAt, String address) {
            this.request = request;
            this.script = script;
            this.startedAt = startedAt;
            this.address = address;
            this.containerNames = request.spec().getContainersList().stream()
                    .map(c -> c.getName().isEmpty() ? "main" : c.getName()).toList();
            this.status = SandboxStatus.running(startedAt);
        }

        List<ContainerRuntimeStatus> containers() {
            SandboxStatus now = status;
            ContainersAt known = containersAt;
            if (known == null || known.status() != now) {
                known = new ContainersAt(now, containersIn(this, now));
                containersAt = known;
            }
            return known.containers();
        }
    }

    private record ContainersAt(SandboxStatus status, List<ContainerRuntimeStatus> containers) {
    }
}
