package io.farget.agent.task;

import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodUsageSample;

/** Where the supervisor's news goes (the stream to the leader, when there is one). Must not block. */
public interface PodEvents {
    void report(PodReport report);

    /** A usage sample taken outside the periodic round: at a pod's start and at its end. */
    void usage(PodUsageSample sample);
}
