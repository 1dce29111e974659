package io.farget.placement.engine;

import io.farget.placement.model.Architecture;
import java.util.List;

/**
 * How full each architecture's hosts are, in CPU: what a pod that runs anywhere consults first.
 * Packing alone would let such pods fill whichever architecture scores best (on a fleet where the
 * bigger hosts are aarch64, those), stranding the pods that can run only there while other hosts
 * have room; placing them on the emptier architecture keeps each architecture's share of room for
 * the pods pinned to it. Kept up to date by {@link ClusterModel} as pods come and go.
 */
final class ArchitectureLoad {
    private static final Architecture[] NODE_ARCHITECTURES = {Architecture.X86_64, Architecture.AARCH64};
    private static final List<Architecture> X86_FIRST = List.of(Architecture.X86_64, Architecture.AARCH64);
    private static final List<Architecture> AARCH64_FIRST = List.of(Architecture.AARCH64, Architecture.X86_64);

    private final long[] capacity = new long[NODE_ARCHITECTURES.length];
    private final long[] used = new long[NODE_ARCHITECTURES.length];

    void addHost(Architecture arch, long cpuMillis) {
        capacity[slot(arch)] += cpuMillis;
    }

    void placed(Architecture arch, long cpuMillis, int sign) {
        used[slot(arch)] += sign * cpuMillis;
    }

    /** Whether hosts of both architectures exist: only then is there a choice to make. */
    boolean mixed() {
        int present = 0;
        for (long c : capacity) {
            if (c > 0) {
                present++;
            }
        }
        return present > 1;
    }

    /**
     * Both architectures, the one with the larger share of its CPU free first (ties: x86_64); asked
     * for every pod that runs anywhere on a {@link #mixed} fleet, so it allocates nothing.
     */
    List<Architecture> emptiestFirst() {
        boolean x86First = freeShare(Architecture.X86_64) >= freeShare(Architecture.AARCH64);
        return x86First ? X86_FIRST : AARCH64_FIRST;
    }

    double freeShare(Architecture arch) {
        int i = slot(arch);
        return capacity[i] == 0 ? 0 : (double) (capacity[i] - used[i]) / capacity[i];
    }

    private static int slot(Architecture arch) {
        return switch (arch) {
            case X86_64 -> 0;
            case AARCH64 -> 1;
            case ANY -> throw new IllegalArgumentException("a host has a concrete architecture");
        };
    }
}
