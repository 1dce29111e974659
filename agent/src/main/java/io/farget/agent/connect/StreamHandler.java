package io.farget.agent.connect;

import io.farget.proto.v1.SchedulerMessage;

/** What the agent does with a stream to the leader. Called by {@link LeaderConnector}; must not block. */
public interface StreamHandler {
    /** A new stream is open: send Register on it first. */
    void opened(AgentStream stream);

    void received(SchedulerMessage message);

    /** The stream is gone; stop using it. */
    void closed(AgentStream stream);
}
