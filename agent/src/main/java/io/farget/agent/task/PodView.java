package io.farget.agent.task;

import java.util.List;

/** A read-only glance at one pod, for the log service. */
public record PodView(String podId, int attempt, List<String> containers, boolean terminal) {
    public String firstContainer() {
        return containers.isEmpty() ? "" : containers.get(0);
    }
}
