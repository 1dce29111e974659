package io.farget.scheduler.node;

import io.farget.common.FargetException;
import io.farget.proto.v1.SchedulerMessage;

/** The leader's end of one agent's stream. */
public interface AgentChannel {
    /** Sends a message, stamped with the leader's epoch. Thread-safe; a closed channel drops it. */
    void send(SchedulerMessage.Builder message);

    /** Ends the stream with {@code why} as its status. */
    void close(FargetException why);
}
