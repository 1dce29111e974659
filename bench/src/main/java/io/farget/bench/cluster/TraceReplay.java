package io.farget.bench.cluster;

import io.farget.bench.placement.TraceArrival;
import io.farget.bench.placement.TraceFiles;
import io.farget.bench.placement.TracePod;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.RestartPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A trace's pod list replayed with its time compressed: the span from the first creation to the
 * last is squeezed into {@code span}, and each pod arrives at its compressed creation time and runs
 * for its compressed lifetime (at least a millisecond), then exits 0. Sizes are the trace's: CPU,
 * memory, whole GPUs or a share of one. Pods run {@code sleep SECONDS}, which the hollow fleet's
 * fake runtime honours ({@link PodScripts}).
 */
final class TraceReplay implements PodPlan {
    private static final long MIN_MEMORY_MIB = 4; // one trace row asks for 0 MiB; a Farget pod needs 4 at least
    private final List<TraceArrival> arrivals;
    private final long firstSecond;
    private final double compression;

    private TraceReplay(List<TraceArrival> arrivals, double compression) {
        this.arrivals = arrivals;
        this.firstSecond = arrivals.isEmpty() ? 0 : arrivals.get(0).createdSecond();
        this.compression = compression;
    }

    /** The first {@code limit} arrivals of {@code podList} (all when {@code limit} is 0 or more than there are), over {@code span}. */
    static TraceReplay load(Path podList, Duration span, int limit) {
        List<TraceArrival> all = TraceFiles.arrivals(podList).stream()
                .sorted(Comparator.comparingLong(TraceArrival::createdSecond)).toList();
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no pods in " + podList);
        }
        List<TraceArrival> used = limit > 0 && limit < all.size() ? all.subList(0, limit) : all;
        long traceSeconds = Math.max(1, used.get(used.size() - 1).createdSecond() - used.get(0).createdSecond());
        return new TraceReplay(List.copyOf(used), traceSeconds / (double) Math.max(1, span.toSeconds()));
    }

    /** Trace seconds per replayed second. */
    double compression() {
        return compression;
    }

    @Override
    public int size() {
        return arrivals.size();
    }

    @Override
    public boolean paced() {
        return true;
    }

    @Override
    public long dueAfterNanos(int index) {
        return (long) ((arrivals.get(index).createdSecond() - firstSecond) / compression * 1e9);
    }

    @Override
    public PodSpec spec(int index) {
        TraceArrival arrival = arrivals.get(index);
        TracePod pod = arrival.pod();
        Resources.Builder size = Resources.newBuilder()
                .setCpuMillis(pod.cpuMillis())
                .setMemoryBytes(Math.max(MIN_MEMORY_MIB, pod.memoryMib()) << 20);
        if (pod.numGpu() > 0) {
            if (pod.numGpu() == 1 && pod.gpuMilli() > 0 && pod.gpuMilli() < 1000) {
                size.setGpuMilli(pod.gpuMilli());
            } else {
                size.setGpu(pod.numGpu());
            }
        }
        double seconds = Math.max(0.001, arrival.lifetimeSeconds() / compression);
        return PodSpec.newBuilder()
                .setName("trace-" + index)
                .setRestart(RestartPolicy.RESTART_POLICY_NEVER)
                .addAllGpuModels(pod.gpuSpec())
                .addContainers(ContainerSpec.newBuilder()
                        .setName("main")
                        .addCommand("sleep").addCommand(String.format(Locale.ROOT, "%.3f", seconds))
                        .setResources(size))
                .build();
    }
}
