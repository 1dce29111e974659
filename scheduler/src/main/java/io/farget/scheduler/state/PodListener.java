package io.farget.scheduler.state;

import io.farget.proto.v1.Node;
import io.farget.proto.v1.Pod;

/** Told of every pod change in the leader's in-memory view, on the thread that made it. */
public interface PodListener {
    void changed(Pod pod);

    /** A node was stored (registered, heartbeat, state change); most listeners need only pods. */
    default void nodeChanged(Node node) {}

    /** The view is gone (leadership ended); no more changes will come. */
    default void closed() {}
}
