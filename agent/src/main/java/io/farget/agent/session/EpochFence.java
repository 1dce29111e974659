package io.farget.agent.session;

import io.farget.agent.state.AgentCheckpoint;

/**
 * Obeys only the newest leader: a message from an older leadership epoch than the highest seen
 * comes from a deposed leader and is dropped. The highest epoch is checkpointed, so a restart does
 * not make the agent forget it.
 */
final class EpochFence {
    private final AgentCheckpoint checkpoint;

    EpochFence(AgentCheckpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    /** Whether to act on a message of {@code epoch}; raises the highest epoch seen as a side effect. */
    boolean admit(long epoch) {
        synchronized (checkpoint) {
            if (epoch < checkpoint.highestEpoch()) {
                return false;
            }
            checkpoint.raiseEpoch(epoch);
            return true;
        }
    }

    long highest() {
        return checkpoint.highestEpoch();
    }
}
