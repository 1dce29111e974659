package io.farget.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.farget.common.ResourceMath;
import io.farget.common.Timestamps;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.ContainerStatus;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.DeletePodRequest;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodServiceGrpc;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PodStatus;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How long a pod takes to start on a running cluster, next to runc alone in the same run:
 * (1) client-observed: CreatePod returned -> the watch says RUNNING; (2) server-recorded: createdAt ->
 * startedAt, split at scheduledAt into the scheduler's part and the node's part; for a pod of several
 * containers also createdAt -> the last container's start; (3) bare {@code runc run -d} of the same
 * command on the same kind of root filesystem. The baseline runs interleaved with the pods (one pod,
 * one bare run, ...) so both see the same load on a noisy host.
 */
@Command(name = "start-latency", mixinStandardHelpOptions = true,
        description = "Pod start latency on a running cluster (e.g. `farget dev`), next to a bare `runc run -d` measured in the same run.")
final class StartLatencyCommand implements Callable<Integer> {
    private static final List<String> COMMAND = List.of("sleep", "30");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @Option(names = "--server", defaultValue = "${env:FARGET_SERVER:-127.0.0.1:7070}", description = "Scheduler HOST:PORT.")
    String server;

    @Option(names = "--pods", defaultValue = "20", description = "Pods to start, one at a time (default ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--warmup", defaultValue = "3", description = "Pods started first and not counted (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--containers", defaultValue = "1", description = "Containers per pod (default ${DEFAULT-VALUE}).")
    int containers;

    @Option(names = "--network", defaultValue = "", paramLabel = "pod|none",
            description = "The pods' network: pod (their own address on the node's bridge; needs an agent with --pod-network), "
                    + "none (loopback only), or the default.")
    String network;

    @Option(names = "--image", defaultValue = "", paramLabel = "IMAGE",
            description = "The containers' image (a registry reference or oci:/path:tag); the warm-up pods pull it, so the "
                    + "measured ones start from the agent's cache. Default: none (the host's system folders, as bare runc gets).")
    String image;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json.")
    String output;

    @Override
    public Integer call() throws Exception {
        if (containers < 1 || pods < 1 || warmup < 0) {
            System.err.println("error: --containers and --pods must be at least 1, --warmup at least 0");
            return 2;
        }
        ManagedChannel channel = NettyChannelBuilder.forTarget(server).usePlaintext().build();
        List<String> started = new ArrayList<>();
        PodServiceGrpc.PodServiceBlockingStub blocking = PodServiceGrpc.newBlockingStub(channel);
        try (RunningPods running = new RunningPods(PodServiceGrpc.newStub(channel));
             BareRunc runc = new BareRunc(Files.createTempDirectory("farget-bench-runc"))) {
            running.awaitSubscribed(Duration.ofSeconds(1));
            Map<String, long[]> samples = new LinkedHashMap<>();
            for (String key : keys()) {
                samples.put(key, new long[pods]);
            }
            for (int i = -warmup; i < pods; i++) {
                Map<String, Long> one = measureOne(blocking, running, started);
                long bare = runc.timeDetachedRunNanos("bare-" + (i + warmup), COMMAND);
                if (i >= 0) {
                    for (Map.Entry<String, Long> e : one.entrySet()) {
                        samples.get(e.getKey())[i] = e.getValue();
                    }
                    samples.get("bareRuncRunDetached")[i] = bare;
                }
            }
            Map<String, Samples> results = new LinkedHashMap<>();
            samples.forEach((k, v) -> results.put(k, Samples.ofNanos(v)));
            print(results);
            return 0;
        } finally {
            // Killed at the end, not one by one: a kill's grace period would overlap the next start.
            for (String id : started) {
                blocking.withDeadlineAfter(10, TimeUnit.SECONDS).deletePod(DeletePodRequest.newBuilder()
                        .setPodId(id).setRequestId(UUID.randomUUID().toString()).build());
            }
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private List<String> keys() {
        List<String> keys = new ArrayList<>(List.of("runReturnToRunning", "createdAtToStartedAt", "createdAtToScheduledAt",
                "scheduledAtToStartedAt"));
        if (containers > 1) {
            keys.add("createdAtToLastContainerStarted");
        }
        keys.add("bareRuncRunDetached");
        return keys;
    }

    private PodSpec spec() {
        PodSpec.Builder spec = PodSpec.newBuilder().setName("latency").setNetwork(network);
        for (int c = 0; c < containers; c++) {
            // Small: every pod of a run must fit at once.
            spec.addContainers(ContainerSpec.newBuilder().setName("c" + c).setImage(image).addAllCommand(COMMAND)
                    .setResources(ResourceMath.of(20, 16L << 20)));
        }
        return spec.build();
    }

    /** One pod's figures in nanoseconds, by key; its id joins {@code started}. */
    private Map<String, Long> measureOne(PodServiceGrpc.PodServiceBlockingStub pods, RunningPods running, List<String> started)
            throws InterruptedException {
        Pod created = pods.withDeadlineAfter(10, TimeUnit.SECONDS)
                .createPod(CreatePodRequest.newBuilder().setSpec(spec()).setRequestId(UUID.randomUUID().toString()).build());
        long returned = System.nanoTime();
        started.add(created.getId());
        RunningPods.Seen seen = running.awaitRunning(created.getId(), START_TIMEOUT);
        PodStatus status = seen.pod().getStatus();
        Instant createdAt = Timestamps.toInstant(status.getCreatedAt());
        Instant scheduledAt = Timestamps.toInstant(status.getScheduledAt());
        Instant startedAt = Timestamps.toInstant(status.getStartedAt());
        Map<String, Long> one = new LinkedHashMap<>();
        one.put("runReturnToRunning", Math.max(0, seen.arrivedNanos() - returned));
        one.put("createdAtToStartedAt", Duration.between(createdAt, startedAt).toNanos());
        one.put("createdAtToScheduledAt", Duration.between(createdAt, scheduledAt).toNanos());
        one.put("scheduledAtToStartedAt", Duration.between(scheduledAt, startedAt).toNanos());
        if (containers > 1) {
            Instant last = status.getContainersList().stream().map(ContainerStatus::getStartedAt).map(Timestamps::toInstant)
                    .max(Instant::compareTo).orElse(startedAt);
            one.put("createdAtToLastContainerStarted", Duration.between(createdAt, last).toNanos());
        }
        return one;
    }

    private void print(Map<String, Samples> results) throws Exception {
        if ("json".equals(output)) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results));
            return;
        }
        System.out.printf("pods of %d container(s)%s%s, %d measured after %d warm-up, each followed by a bare runc run%n", containers,
                network.isEmpty() ? "" : ", network " + network, image.isEmpty() ? "" : ", image " + image, pods, warmup);
        System.out.printf("%-34s %6s %9s %9s %9s %9s%n", "measure (ms)", "n", "min", "median", "p90", "max");
        results.forEach((name, s) -> System.out.printf("%-34s %6d %9.2f %9.2f %9.2f %9.2f%n",
                name, s.count(), s.minMs(), s.medianMs(), s.p90Ms(), s.maxMs()));
        Samples pod = results.get("createdAtToStartedAt");
        Samples bare = results.get("bareRuncRunDetached");
        System.out.printf("createdAt->startedAt median is %.2fx bare runc's%n", pod.medianMs() / bare.medianMs());
    }
}
