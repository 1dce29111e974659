package io.farget.sandbox;

import io.farget.sandbox.cgroup.CgroupLimits;
import io.farget.sandbox.oci.OciContainer;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one pod runs, decided before anything starts.
 *
 * @param pause the process holding the pod's network, ipc and uts namespaces; null when the pod's only
 *     container owns them itself (no init containers, one container: the faster path)
 * @param initContainers run one after the other, each to completion, before {@code containers} start
 * @param podLimits what the pod's cgroup allows all of its containers together
 */
record PodPlan(String podId, OciContainer pause, List<ContainerPlan> initContainers, List<ContainerPlan> containers,
               CgroupLimits podLimits) {
    PodPlan {
        initContainers = List.copyOf(initContainers);
        containers = List.copyOf(containers);
    }

    boolean hasPause() {
        return pause != null;
    }

    List<ContainerPlan> all() {
        return Stream.concat(initContainers.stream(), containers.stream()).toList();
    }
}
