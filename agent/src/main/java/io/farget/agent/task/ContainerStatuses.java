package io.farget.agent.task;

import io.farget.common.Timestamps;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.ContainerState;
import io.farget.proto.v1.ContainerStatus;
import io.farget.proto.v1.PodSpec;
import io.farget.sandbox.ContainerRuntimeStatus;
import java.util.ArrayList;
import java.util.List;

/** The runtime's view of a pod's containers in the API's terms. Pure. */
final class ContainerStatuses {
    private ContainerStatuses() {}

    /** Init containers first, then the containers, as the runtime lists them. */
    static List<ContainerStatus> of(List<ContainerRuntimeStatus> containers) {
        List<ContainerStatus> out = new ArrayList<>(containers.size());
        for (ContainerRuntimeStatus c : containers) {
            ContainerStatus.Builder b = ContainerStatus.newBuilder()
                    .setName(c.name())
                    .setState(state(c))
                    .setRestartCount(c.restartCount())
                    .setReason(c.reason() == null ? "" : c.reason());
            if (c.exitCode() != null) {
                b.setHasExitCode(true).setExitCode(c.exitCode());
            }
            if (c.startedAt() != null) {
                b.setStartedAt(Timestamps.of(c.startedAt()));
            }
            if (c.finishedAt() != null) {
                b.setFinishedAt(Timestamps.of(c.finishedAt()));
            }
            out.add(b.build());
        }
        return out;
    }

    /** Before the runtime knows the pod: every container of the spec in one state. */
    static List<ContainerStatus> uniform(PodSpec spec, ContainerState state) {
        List<ContainerStatus> out = new ArrayList<>();
        for (ContainerSpec c : spec.getContainersList()) {
            out.add(ContainerStatus.newBuilder().setName(c.getName()).setState(state).build());
        }
        return out;
    }

    private static ContainerState state(ContainerRuntimeStatus c) {
        return switch (c.state()) {
            case RUNNING -> ContainerState.CONTAINER_STATE_RUNNING;
            case EXITED -> ContainerState.CONTAINER_STATE_EXITED;
            case CREATED -> ContainerState.CONTAINER_STATE_WAITING;
        };
    }
}
