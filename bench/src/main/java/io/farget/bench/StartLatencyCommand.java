package io.farget.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.farget.common.PodPhases;
import io.farget.common.ResourceMath;
import io.farget.common.Timestamps;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.DeletePodRequest;
import io.farget.proto.v1.GetPodRequest;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodServiceGrpc;
import io.farget.proto.v1.PodSpec;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * (1) client-observed: CreatePod returned -> the pod reads RUNNING; (2) server-recorded: createdAt ->
 * startedAt; (3) bare `runc run -d` of the same command with the same kind of root filesystem.
 */
@Command(name = "start-latency", mixinStandardHelpOptions = true,
        description = "Pod start latency on a running cluster (e.g. `farget dev`), next to a bare `runc run -d` measured in the same run.")
final class StartLatencyCommand implements Callable<Integer> {
    private static final List<String> COMMAND = List.of("sleep", "30");

    @Option(names = "--server", defaultValue = "${env:FARGET_SERVER:-127.0.0.1:7070}", description = "Scheduler HOST:PORT.")
    String server;

    @Option(names = "--pods", defaultValue = "20", description = "Pods to start, one at a time (default ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--warmup", defaultValue = "3", description = "Pods started first and not counted (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json.")
    String output;

    @Override
    public Integer call() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forTarget(server).usePlaintext().build();
        try {
            PodServiceGrpc.PodServiceBlockingStub pods = PodServiceGrpc.newBlockingStub(channel);
            List<String> started = new java.util.ArrayList<>();
            long[] observed = new long[this.pods];
            long[] recorded = new long[this.pods];
            try {
                for (int i = 0; i < warmup; i++) {
                    measureOne(pods, started);
                }
                for (int i = 0; i < this.pods; i++) {
                    long[] one = measureOne(pods, started);
                    observed[i] = one[0];
                    recorded[i] = one[1];
                }
            } finally {
                // Killed at the end, not one by one: a kill's grace period would overlap the next start.
                started.forEach(id -> pods.withDeadlineAfter(10, TimeUnit.SECONDS).deletePod(DeletePodRequest.newBuilder()
                        .setPodId(id).setRequestId(UUID.randomUUID().toString()).build()));
            }
            long[] bare = measureBareRunc();
            print(Map.of(
                    "runReturnToRunning", Samples.ofNanos(observed),
                    "createdAtToStartedAt", Samples.ofNanos(recorded),
                    "bareRuncRunDetached", Samples.ofNanos(bare)));
            return 0;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** {observed nanos, server-recorded nanos} for one pod, whose id joins {@code started}. */
    private long[] measureOne(PodServiceGrpc.PodServiceBlockingStub pods, List<String> started) throws InterruptedException {
        PodSpec spec = PodSpec.newBuilder().setName("latency")
                .addContainers(ContainerSpec.newBuilder().addAllCommand(COMMAND).setResources(ResourceMath.of(20, 16L << 20))) // small: every pod of a run must fit at once
                .build();
        Pod created = pods.withDeadlineAfter(10, TimeUnit.SECONDS)
                .createPod(CreatePodRequest.newBuilder().setSpec(spec).setRequestId(UUID.randomUUID().toString()).build());
        long returned = System.nanoTime();
        started.add(created.getId());
        long deadline = returned + Duration.ofSeconds(60).toNanos();
        Pod pod = created;
        while (pod.getStatus().getPhase() != PodPhase.POD_PHASE_RUNNING) {
            if (PodPhases.isTerminal(pod.getStatus().getPhase()) || System.nanoTime() > deadline) {
                throw new IllegalStateException("pod " + pod.getId() + " did not reach RUNNING: "
                        + PodPhases.name(pod.getStatus().getPhase()) + " " + pod.getStatus().getReason());
            }
            Thread.sleep(0, 500_000); // half a millisecond between reads bounds the measuring error
            pod = pods.withDeadlineAfter(10, TimeUnit.SECONDS).getPod(GetPodRequest.newBuilder().setPodId(created.getId()).build());
        }
        long observed = System.nanoTime() - returned;
        long recorded = Duration.between(Timestamps.toInstant(pod.getStatus().getCreatedAt()),
                Timestamps.toInstant(pod.getStatus().getStartedAt())).toNanos();
        return new long[] {observed, recorded};
    }

    private long[] measureBareRunc() throws Exception {
        long[] took = new long[pods];
        try (BareRunc runc = new BareRunc(Files.createTempDirectory("farget-bench-runc"))) {
            for (int i = 0; i < warmup; i++) {
                runc.timeDetachedRunNanos("warm-" + i, COMMAND);
            }
            for (int i = 0; i < pods; i++) {
                took[i] = runc.timeDetachedRunNanos("bare-" + i, COMMAND);
            }
        }
        return took;
    }

    private void print(Map<String, Samples> results) throws Exception {
        Map<String, Samples> ordered = new LinkedHashMap<>();
        for (String key : List.of("runReturnToRunning", "createdAtToStartedAt", "bareRuncRunDetached")) {
            ordered.put(key, results.get(key));
        }
        if ("json".equals(output)) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(ordered));
            return;
        }
        System.out.printf("%-34s %6s %9s %9s %9s %9s%n", "measure (ms)", "n", "min", "median", "p90", "max");
        ordered.forEach((name, s) -> System.out.printf("%-34s %6d %9.2f %9.2f %9.2f %9.2f%n",
                name, s.count(), s.minMs(), s.medianMs(), s.p90Ms(), s.maxMs()));
    }
}
