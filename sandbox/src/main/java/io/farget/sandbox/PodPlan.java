package io.farget.sandbox;

import io.farget.sandbox.cgroup.CgroupLimits;
import io.farget.sandbox.net.HostPort;
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
 * @param networked whether the pause's network namespace joins the host's pod network (CNI)
 * @param hostPorts the containers' ports published on the host (only with {@code networked})
 */
record PodPlan(String podId, OciContainer pause, List<ContainerPlan> initContainers, List<ContainerPlan> containers,
               CgroupLimits podLimits, boolean networked, List<HostPort> hostPorts) {
    PodPlan {
        initContainers = List.copyOf(initContainers);
        containers = List.copyOf(containers);
        hostPorts = List.copyOf(hostPorts);
        if (networked && pause == null) {
            throw new IllegalArgumentException("a pod on the pod network needs a pause process to hold its namespace");
        }
    }

    boolean hasPause() {
        return pause != null;
    }

    List<ContainerPlan> all() {
        return Stream.concat(initContainers.stream(), containers.stream()).toList();
    }
}
