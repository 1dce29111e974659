package io.farget.sandbox;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A pod's one status from its containers' statuses: pure rules, shared by the real and the fake runtime. */
final class PodStatuses {
    private PodStatuses() {}

    /**
     * The container that decides the pod's exit: the first (by finishing time, then spec order) that
     * exited non-zero, or empty when none did.
     */
    static Optional<ContainerRuntimeStatus> firstFailure(List<ContainerRuntimeStatus> containers) {
        return containers.stream()
                .filter(c -> c.exited() && c.exitCode() != null && c.exitCode() != 0)
                .min(Comparator.comparing(ContainerRuntimeStatus::finishedAt, Comparator.nullsLast(Comparator.naturalOrder())));
    }

    /**
     * An ended pod: exit code of its first failure (else 0), OOM-killed when any container was, finished
     * when its last container finished.
     */
    static SandboxStatus exited(List<ContainerRuntimeStatus> containers, Instant startedAt, Instant now) {
        Optional<ContainerRuntimeStatus> failure = firstFailure(containers);
        boolean oom = containers.stream().anyMatch(ContainerRuntimeStatus::oomKilled);
        Instant finished = containers.stream().map(ContainerRuntimeStatus::finishedAt).filter(java.util.Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(now);
        return SandboxStatus.exited(failure.map(ContainerRuntimeStatus::exitCode).orElse(0), oom, startedAt, finished);
    }
}
