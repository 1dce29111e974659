package io.farget.sandbox;

import io.farget.sandbox.cgroup.CgroupUsage;
import io.farget.sandbox.cgroup.Cgroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a pod's counters from its cgroups: the pod's own and each container's leaf below it. Once
 * the pod ended, the counters read just before its cgroups went away stand in for them.
 */
final class PodStats {
    private final Cgroups cgroups;

    PodStats(Cgroups cgroups) {
        this.cgroups = cgroups;
    }

    /** The pod's last counters once it ended, else what its cgroup says now. */
    Optional<SandboxStats> pod(RuncPod pod) {
        SandboxStats last = pod.finalStats;
        if (last != null) {
            return Optional.of(last);
        }
        return read(pod);
    }

    /** The containers' last counters once the pod ended, else what their cgroups say now. */
    List<ContainerStats> containers(RuncPod pod) {
        List<ContainerStats> last = pod.finalContainerStats;
        return last != null ? last : readContainers(pod);
    }

    /** The pod's cgroup as it is now; empty when it has none. */
    Optional<SandboxStats> read(RuncPod pod) {
        return cgroups.usage(pod.cgroupPath).map(PodStats::toStats);
    }

    /** Each container's leaf cgroup ({@code /<parent>/<pod>/<container>}) that exists, in plan order. */
    List<ContainerStats> readContainers(RuncPod pod) {
        List<ContainerStats> out = new ArrayList<>();
        for (ContainerPlan c : pod.plan.all()) {
            cgroups.usage(c.oci().cgroupsPath()).ifPresent(u -> out.add(new ContainerStats(c.name(), toStats(u))));
        }
        return List.copyOf(out);
    }

    private static SandboxStats toStats(CgroupUsage usage) {
        return new SandboxStats(usage.cpuNanos(), usage.workingSetBytes(), usage.peakMemoryBytes());
    }
}
