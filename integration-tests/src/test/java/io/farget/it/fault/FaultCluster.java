package io.farget.it.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.farget.it.fault.InvariantChecker.PodView;
import io.farget.it.fault.InvariantChecker.Verdict;
import io.farget.it.fault.InvariantChecker.Window;
import io.farget.it.fault.RunJournal.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system as separate processes on simulated hosts of a {@link TestNetwork}: a three-member
 * ZooKeeper ensemble, three scheduler replicas, fake-runtime agents and optionally one real runc
 * agent, and a {@link Client} in the switch namespace. It injects faults, remembers which
 * submissions were accepted and when each host was unreachable, and checks the invariants.
 *
 * <p>{@link #close()} removes every process, namespace, runc container and cgroup it made, and
 * {@link #create} first removes whatever a crashed earlier run left.
 */
final class FaultCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultCluster.class);
    static final Path DATA_ROOT = Path.of("/tmp/farget-it-fault");
    static final String CGROUP_PARENT = "fargetit-fault";
    static final int SCHEDULER_PORT = 7070;
    static final Duration HEARTBEAT = Duration.ofMillis(500);
    static final Duration NOT_READY_AFTER = Duration.ofSeconds(2);
    static final Duration LOST_AFTER = Duration.ofSeconds(4);
    static final List<String> FOREVER = List.of("sleep", "100000");

    /** An agent host: its process (replaced on restart), runtime and witness journal. */
    static final class Agent {
        final Host host;
        final String runtime;
        final Path dataDir;
        final Path journal;
        ChildJvm process;

        Agent(Host host, String runtime, Path dataDir, Path journal) {
            this.host = host;
            this.runtime = runtime;
            this.dataDir = dataDir;
            this.journal = journal;
        }

        String nodeId() {
            return host.name();
        }
    }

    private final Path runDir;
    private final Path logDir;
    private final TestNetwork network;
    private final String classPath;
    private ZooKeeperEnsemble zookeeper;
    private final List<Host> schedulerHosts = new ArrayList<>();
    private final ChildJvm[] schedulers = new ChildJvm[3];
    private final List<Agent> agents = new ArrayList<>();
    private Client client;
    private final Map<String, String> accepted = new LinkedHashMap<>();
    private int submissions;
    private int unacknowledged;
    private final Map<String, List<Window>> unreachable = new LinkedHashMap<>();
    private final InvariantChecker checker = new InvariantChecker(LOST_AFTER.toMillis());

    private FaultCluster(Path logDir) throws IOException {
        removeLeftovers();
        this.runDir = Files.createDirectories(DATA_ROOT.resolve("run-" + System.currentTimeMillis()));
        this.logDir = Files.createDirectories(logDir);
        try (var old = Files.list(logDir)) {
            for (Path file : old.filter(f -> f.toString().endsWith(".log")).toList()) {
                Files.delete(file); // logs are appended across process restarts within one run only
            }
        }
        this.classPath = ClassPathSnapshot.take(runDir.resolve("classpath"));
        this.network = TestNetwork.create();
    }

    /**
     * Starts everything and waits until a leader answers and every agent is READY.
     *
     * @param fakeAgents how many fake-runtime agents (hosts a1, a2, ...)
     * @param runcAgent  whether to add host r1, an agent running real runc sandboxes
     */
    static FaultCluster create(Path logDir, int fakeAgents, boolean runcAgent) throws IOException {
        FaultCluster cluster = new FaultCluster(logDir);
        try {
            cluster.start(fakeAgents, runcAgent);
            return cluster;
        } catch (IOException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void start(int fakeAgents, boolean runcAgent) throws IOException {
        List<Host> zkHosts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            zkHosts.add(network.addHost("zk" + (i + 1), 21 + i));
            schedulerHosts.add(network.addHost("s" + (i + 1), 11 + i));
        }
        zookeeper = new ZooKeeperEnsemble(zkHosts, runDir, logDir, classPath);
        zookeeper.startAll();
        for (int i = 0; i < 3; i++) {
            startScheduler(i);
        }
        for (int i = 0; i < fakeAgents; i++) {
            addAgent(network.addHost("a" + (i + 1), 31 + i), "fake");
        }
        if (runcAgent) {
            addAgent(network.addHost("r1", 41), "runc");
        }
        client = new Client(network.switchHost(), logDir, classPath, schedulerAddresses());
        awaitAllReady(Duration.ofSeconds(180)); // generous: ten JVMs starting on two busy cores
        log.info("Fault cluster up: ZooKeeper {}, schedulers {}, agents {}", zookeeper.connectString(), schedulerAddresses(),
                agents.stream().map(Agent::nodeId).toList());
    }

    // ---- the parts -------------------------------------------------------------------------

    String schedulerAddresses() {
        return schedulerHosts.stream().map(h -> h.address() + ":" + SCHEDULER_PORT).collect(Collectors.joining(","));
    }

    Client client() {
        return client;
    }

    ZooKeeperEnsemble zookeeper() {
        return zookeeper;
    }

    List<Agent> agents() {
        return agents;
    }

    List<Agent> fakeAgents() {
        return agents.stream().filter(a -> a.runtime.equals("fake")).toList();
    }

    Agent agent(String nodeId) {
        return agents.stream().filter(a -> a.nodeId().equals(nodeId)).findFirst().orElseThrow();
    }

    void startScheduler(int i) throws IOException {
        if (schedulers[i] != null && schedulers[i].isAlive()) {
            return;
        }
        Host host = schedulerHosts.get(i);
        schedulers[i] = ChildJvm.start("scheduler-" + (i + 1), host, logDir, classPath, "192m", false, SchedulerMain.class.getName(), List.of(
                "--zk", zookeeper.connectString(), "--host", host.address(), "--port", Integer.toString(SCHEDULER_PORT),
                "--heartbeat-millis", Long.toString(HEARTBEAT.toMillis()),
                "--not-ready-millis", Long.toString(NOT_READY_AFTER.toMillis()),
                "--lost-millis", Long.toString(LOST_AFTER.toMillis())));
    }

    private void addAgent(Host host, String runtime) throws IOException {
        Path dataDir = Files.createDirectories(runDir.resolve("agent-" + host.name()));
        Agent agent = new Agent(host, runtime, dataDir, dataDir.resolve("witness.log"));
        agents.add(agent);
        startAgent(agent);
    }

    void startAgent(Agent agent) throws IOException {
        agent.process = ChildJvm.start("agent-" + agent.nodeId(), agent.host, logDir, classPath, "160m", false, AgentMain.class.getName(), List.of(
                "--zk", zookeeper.connectString(), "--data-dir", agent.dataDir.toString(), "--node-id", agent.nodeId(),
                "--runtime", agent.runtime, "--cgroup-parent", CGROUP_PARENT, "--witness", agent.journal.toString()));
        endWindow(agent.nodeId());
    }

    // ---- faults ----------------------------------------------------------------------------

    /** The index of the leading replica, asked of any replica; -1 when none leads. */
    int leaderIndex() {
        Client.CliResult status = client.cli("status", "-o", "json");
        if (status.exitCode() != 0) {
            return -1;
        }
        String leader = status.json().path("leader").asText("");
        for (int i = 0; i < schedulerHosts.size(); i++) {
            if (leader.equals(schedulerHosts.get(i).address() + ":" + SCHEDULER_PORT)) {
                return i;
            }
        }
        return -1;
    }

    int awaitLeader(Duration timeout) {
        return Awaitility.await("a leading scheduler").atMost(timeout).pollInterval(Duration.ofMillis(250))
                .until(this::leaderIndex, i -> i >= 0);
    }

    /** kill -9 of scheduler {@code i}. */
    void killScheduler(int i) {
        log.info("FAULT kill -9 of scheduler {}", i + 1);
        schedulers[i].killNine();
    }

    boolean schedulerRunning(int i) {
        return schedulers[i] != null && schedulers[i].isAlive();
    }

    /**
     * kill -9 of an agent. A fake runtime's pods die with it (the witness journal is told so); runc
     * pods keep running for the next agent to adopt.
     */
    void killAgent(Agent agent) throws IOException {
        log.info("FAULT kill -9 of agent {}", agent.nodeId());
        agent.process.killNine();
        Files.writeString(agent.journal, System.currentTimeMillis() + " " + RunJournal.DIED + "\n",
                java.nio.file.StandardOpenOption.APPEND, java.nio.file.StandardOpenOption.CREATE);
        beginWindow(agent.nodeId());
    }

    void cut(Agent agent) {
        network.cut(agent.host);
        beginWindow(agent.nodeId());
    }

    void heal(Agent agent) {
        network.heal(agent.host);
        endWindow(agent.nodeId());
    }

    private void beginWindow(String host) {
        List<Window> windows = unreachable.computeIfAbsent(host, h -> new ArrayList<>());
        if (windows.isEmpty() || windows.get(windows.size() - 1).end() != Long.MAX_VALUE) {
            windows.add(new Window(System.currentTimeMillis(), Long.MAX_VALUE));
        }
    }

    private void endWindow(String host) {
        List<Window> windows = unreachable.getOrDefault(host, List.of());
        if (!windows.isEmpty() && windows.get(windows.size() - 1).end() == Long.MAX_VALUE) {
            Window open = windows.remove(windows.size() - 1);
            windows.add(new Window(open.start(), System.currentTimeMillis()));
        }
    }

    // ---- load and observation --------------------------------------------------------------

    /** Submits one pod (retried with one request id for up to {@code budget}) and remembers it if accepted. */
    Client.Submission submit(String runtime, Duration budget) {
        return submit(runtime, FOREVER, budget);
    }

    Client.Submission submit(String runtime, List<String> command, Duration budget) {
        String name = "p" + (++submissions) + "-" + UUID.randomUUID().toString().substring(0, 6);
        Client.Submission result = client.create(name, UUID.randomUUID().toString(), runtime, command, budget);
        if (result.accepted()) {
            accepted.put(result.podId(), name);
        } else {
            unacknowledged++;
            log.info("Submission {} not accepted after {} tries: {}", name, result.tries(), result.error());
        }
        return result;
    }

    Map<String, String> accepted() {
        return accepted;
    }

    int unacknowledged() {
        return unacknowledged;
    }

    List<PodView> pods() {
        List<PodView> pods = new ArrayList<>();
        for (JsonNode pod : client.cli("ps", "-o", "json").assertOk().json()) {
            pods.add(new PodView(pod.path("id").asText(), pod.path("name").asText(), pod.path("phase").asText(),
                    pod.path("node").asText(""), pod.path("attempt").asInt()));
        }
        return pods;
    }

    PodView pod(String id) {
        return pods().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    /** The node's state as {@code farget nodes} shows it ("" when unknown). */
    String nodeState(String nodeId) {
        for (JsonNode node : client.cli("nodes", "-o", "json").assertOk().json()) {
            if (node.path("id").asText().equals(nodeId)) {
                return node.path("state").asText();
            }
        }
        return "";
    }

    List<Run> runs() throws IOException {
        List<Run> runs = new ArrayList<>();
        for (Agent agent : agents) {
            if (Files.exists(agent.journal)) {
                runs.addAll(RunJournal.parse(agent.nodeId(), Files.readAllLines(agent.journal)));
            }
        }
        return runs;
    }

    Verdict check() throws IOException {
        List<Run> runs = runs();
        return checker.check(accepted, pods(), runs, unreachable, System.currentTimeMillis());
    }

    /** Waits until every accepted pod is in its desired state (or {@code timeout}); returns the last verdict either way. */
    Verdict awaitSettled(Duration timeout) {
        AtomicReference<Verdict> last = new AtomicReference<>();
        try {
            Awaitility.await("invariants settle").atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> {
                        Verdict verdict = check();
                        last.set(verdict);
                        return verdict.settled();
                    });
        } catch (ConditionTimeoutException e) {
            log.warn("Not settled after {}: {}", timeout, last.get() == null ? "no verdict" : last.get().unsettled());
        }
        Verdict verdict = last.get();
        if (verdict == null) {
            throw new IllegalStateException("no observation possible in " + timeout);
        }
        log.info("Invariants: {}", verdict.summary());
        return verdict;
    }

    void awaitAllReady(Duration timeout) {
        Awaitility.await("every agent READY").atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    JsonNode nodes = client.cli("nodes", "-o", "json").assertOk().json();
                    long ready = 0;
                    for (JsonNode node : nodes) {
                        if (node.path("state").asText().equals("READY")) {
                            ready++;
                        }
                    }
                    return ready == agents.size();
                });
    }

    // ---- cleanup ---------------------------------------------------------------------------

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        for (Agent agent : agents) {
            if (agent.process != null && agent.process.isAlive()) {
                agent.process.killNine();
            }
        }
        for (ChildJvm scheduler : schedulers) {
            if (scheduler != null && scheduler.isAlive()) {
                scheduler.killNine();
            }
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
        network.close();
        removeLeftovers();
    }

    /**
     * Everything a run of this harness can leave: processes in its namespaces (agents, runc shims),
     * the namespaces, runc containers under its data folder, cgroup folders, the data folder.
     */
    static void removeLeftovers() {
        TestNetwork.removeLeftovers();
        if (Files.isDirectory(DATA_ROOT)) {
            try (var roots = Files.find(DATA_ROOT, 3, (p, a) -> a.isDirectory() && p.getFileName().toString().equals("runc"))) {
                for (Path root : roots.toList()) {
                    for (String id : Shell.attempt("runc", "--root", root.toString(), "list", "-q").output().split("\\s+")) {
                        if (!id.isBlank()) {
                            log.info("Removing runc container {} under {}", id, root);
                            Shell.attempt("runc", "--root", root.toString(), "delete", "-f", id);
                        }
                    }
                }
            } catch (IOException e) {
                log.warn("Cannot list runc roots under {}: {}", DATA_ROOT, e.getMessage());
            }
        }
        removeCgroups();
        Shell.attempt("rm", "-rf", DATA_ROOT.toString());
    }

    private static void removeCgroups() {
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path parent : hierarchies.map(h -> h.resolve(CGROUP_PARENT)).filter(Files::isDirectory).toList()) {
                try (var dirs = Files.walk(parent)) {
                    dirs.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder()).forEach(dir -> dir.toFile().delete());
                }
            }
        } catch (IOException e) {
            log.warn("Cannot clean cgroups: {}", e.getMessage());
        }
    }

    static List<Path> cgroupLeftovers() throws IOException {
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            return hierarchies.map(h -> h.resolve(CGROUP_PARENT)).filter(Files::exists).toList();
        }
    }
}
