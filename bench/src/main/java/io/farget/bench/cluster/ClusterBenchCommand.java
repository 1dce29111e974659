package io.farget.bench.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farget bench cluster}: the whole system with hollow agents over real gRPC and a real ZooKeeper. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Embedded ZooKeeper (or --zk), K schedulers in child processes, N hollow agents (the real agent "
                + "over a fake runtime) in this JVM; submits M pods from C clients and waits until all are RUNNING.")
public final class ClusterBenchCommand implements Callable<Integer> {
    @Option(names = "--agents", defaultValue = "200", description = "Hollow agents (default ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--pods", defaultValue = "5000", description = "Pods to submit (default ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--schedulers", defaultValue = "1", description = "Scheduler replicas (default ${DEFAULT-VALUE}).")
    int schedulers;

    @Option(names = "--clients", defaultValue = "32", description = "Concurrent submitting clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--batch", defaultValue = "" + ClusterSettings.DEFAULT_BATCH, description = "Pods per create call, 1-1000: each client sends "
            + "one CreatePods of this many; 1 sends one CreatePod per pod (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--rate", defaultValue = "0", description = "Pods per second offered; 0: as fast as the clients go. Latency counts from each pod's due "
            + "time, so give enough --clients (about rate x latency in seconds / batch).")
    double rate;

    @Option(names = "--kill-leader-at", defaultValue = "-1", description = "Kill (SIGKILL) the leader once this percent of the pods is acknowledged.")
    double killLeaderAt;

    @Option(names = "--zk", description = "A ZooKeeper connect string to use instead of an embedded server.")
    String zk;

    @Option(names = "--traces", description = "Folder with openb_node_list_gpu_node.csv: host sizes from the trace instead of the synthetic mix.")
    Path traces;

    @Option(names = "--replay-trace", description = "Replay the pod list of --traces (openb_pod_list_default.csv): its first --pods "
            + "arrivals, at their creation times and for their lifetimes, compressed into --replay-over; hosts from the trace too.")
    boolean replayTrace;

    @Option(names = "--replay-over", defaultValue = "60", description = "Seconds the replayed trace's arrivals are compressed into "
            + "(default ${DEFAULT-VALUE}); lifetimes shrink by the same factor.")
    int replayOverSeconds;

    @Option(names = "--run-for", description = "Fake pods exit 0 after this many milliseconds (default: they run until the end).")
    Long runForMillis;

    /**
     * The heap bound, and C1 only: on a 2-core machine shared with thousands of hollow agents,
     * C2 was still compiling a core's worth after a 20,000-pod warm-up (see README, Benchmarks).
     */
    @Option(names = "--scheduler-java-opts", defaultValue = "-Xmx1g -XX:TieredStopAtLevel=1",
            description = "JVM options of the scheduler processes (default ${DEFAULT-VALUE}).")
    String schedulerJavaOpts;

    @Option(names = "--fleet-threads", defaultValue = "2", description = "Threads in each shared pool of the hollow fleet (default ${DEFAULT-VALUE}).")
    int fleetThreads;

    @Option(names = "--in-process", description = "Run the schedulers in this JVM (no heap, RSS or CPU of their own).")
    boolean inProcess;

    @Option(names = "--work-dir", description = "Where data dirs go (default /dev/shm when present, else the temp folder).")
    Path workDir;

    @Option(names = "--warmup", defaultValue = "0", description = "Pods submitted the same way and run before the measured ones "
            + "(not counted; they keep running), so the measured run sees JIT-compiled code (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--jit-settle-max", defaultValue = "90", description = "After the warm-up, wait until the JIT compilers of this JVM "
            + "and the schedulers are nearly idle, at most this many seconds (default ${DEFAULT-VALUE}); 0: do not wait.")
    int jitSettleMaxSeconds;

    @Option(names = "--timeline", description = "Write every pod's due, acknowledged and RUNNING times to this CSV file "
            + "(to line latency up against GC or other logs).")
    Path timeline;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json.")
    String output;

    @Override
    public Integer call() throws Exception {
        Path nodes = null;
        Path podList = null;
        if (traces != null) {
            nodes = traces.resolve("openb_node_list_gpu_node.csv");
            if (!Files.isReadable(nodes)) {
                System.err.println("no trace node list at " + nodes.toAbsolutePath());
                return 1;
            }
        }
        if (replayTrace) {
            if (traces == null) {
                System.err.println("--replay-trace needs --traces DIR");
                return 1;
            }
            podList = traces.resolve("openb_pod_list_default.csv");
            if (!Files.isReadable(podList)) {
                System.err.println("no trace pod list at " + podList.toAbsolutePath());
                return 1;
            }
        }
        ClusterSettings settings = new ClusterSettings(agents, pods, schedulers, clients, batch, rate, killLeaderAt, zk, nodes,
                inProcess, options(schedulerJavaOpts),
                fleetThreads, workDir != null ? workDir : defaultWorkDir(),
                runForMillis == null ? PodScripts.runForever() : new PodScripts(Duration.ofMillis(runForMillis), 0), warmup, timeline,
                Duration.ofSeconds(jitSettleMaxSeconds), podList, Duration.ofSeconds(replayOverSeconds));
        ClusterResult result = ClusterBench.run(settings);
        if (output.equals("json")) {
            System.out.println(new ObjectMapper().writeValueAsString(result));
        } else {
            System.out.print(ClusterTable.render(result));
        }
        return result.lost() == 0 && result.duplicated() == 0 && result.stuck() == 0 ? 0 : 1;
    }

    private static Path defaultWorkDir() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    static List<String> options(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
