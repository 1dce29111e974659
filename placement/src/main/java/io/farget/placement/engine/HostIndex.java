package io.farget.placement.engine;

import io.farget.placement.model.Architecture;
import io.farget.placement.model.PendingPod;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Hosts by kind (architecture and GPU model) and, within a kind, by how much is free: CPU in
 * logarithmic buckets, GPUs by whole free devices and the largest free share. A search visits only
 * the kinds a pod may use, tightest buckets first, and may stop after enough feasible hosts; so a
 * decision costs about the number of candidates asked for, not the number of hosts.
 */
final class HostIndex {
    private static final int CPU = 0;
    private static final int GPU = 1;
    private static final int GPU_STEPS = 11; // largest free share in tenths of a GPU: 0..10

    private final Map<Kind, Pool> pools = new LinkedHashMap<>();

    private record Kind(Architecture arch, String gpuModel) {}

    private static final class Pool {
        final Kind kind;
        final Buckets cpu;
        final Buckets gpu;
        int maxGpus;

        Pool(Kind kind, Host[] hosts) {
            this.kind = kind;
            this.cpu = new Buckets(CPU, hosts);
            this.gpu = new Buckets(GPU, hosts);
        }
    }

    HostIndex(Host[] hosts) {
        for (Host host : hosts) {
            Pool pool = pools.computeIfAbsent(new Kind(host.arch(), host.gpuModel()), k -> new Pool(k, hosts));
            pool.maxGpus = Math.max(pool.maxGpus, host.gpuCount());
            update(host);
        }
    }

    /** Re-files the host after what is free on it changed. */
    void update(Host host) {
        Pool pool = pools.get(new Kind(host.arch(), host.gpuModel()));
        pool.cpu.place(host, cpuKey(host.freeCpuMillis()));
        pool.gpu.place(host, gpuKey(host.wholeFreeGpus(), host.maxGpuFree()));
    }

    /** Four buckets per power of two: coarse enough to be few, fine enough to find the tight hosts first. */
    static int cpuKey(long millis) {
        if (millis <= 0) {
            return 0;
        }
        int log = 63 - Long.numberOfLeadingZeros(millis);
        int fraction = log >= 2 ? (int) ((millis >>> (log - 2)) & 3) : 0;
        return 1 + log * 4 + fraction;
    }

    static int gpuKey(int wholeFree, int maxFree) {
        return wholeFree * GPU_STEPS + Math.min(maxFree / 100, GPU_STEPS - 1);
    }

    /**
     * Feeds {@code visitor} the hosts of the kinds {@code pod} may use that might have room, tightest
     * first, until the visitor returns false. Hosts in the first bucket may still be too small.
     */
    void visitCandidates(PendingPod pod, Predicate<Host> visitor) {
        for (Pool pool : pools.values()) {
            if (!pod.arch().runsOn(pool.kind.arch())) {
                continue;
            }
            boolean gpu = !pod.gpu().none();
            if (gpu && (pool.maxGpus < pod.gpu().count()
                    || (!pod.gpuModels().isEmpty() && !pod.gpuModels().contains(pool.kind.gpuModel())))) {
                continue;
            }
            Buckets buckets = gpu ? pool.gpu : pool.cpu;
            int start = gpu ? (pod.gpu().fractional() ? pod.gpu().milliEach() / 100 : pod.gpu().count() * GPU_STEPS)
                    : cpuKey(pod.cpuMillis());
            for (int b = start; b < buckets.bucketCount(); b++) {
                for (int i = 0, n = buckets.size(b); i < n; i++) {
                    if (!visitor.test(buckets.member(b, i))) {
                        return;
                    }
                }
            }
        }
    }
}
