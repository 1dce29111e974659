package io.farget.agent.task;

import io.farget.proto.v1.PodReport;

/**
 * Where the supervisor's news goes (the stream to the leader, when there is one). Must not block.
 * Reports taken at a pod's start and end carry the usage sample taken with them.
 */
public interface PodEvents {
    void report(PodReport report);
}
