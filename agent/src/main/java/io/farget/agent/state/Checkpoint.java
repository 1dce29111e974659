package io.farget.agent.state;

/**
 * What an agent must remember across restarts to keep its promises to the scheduler: the highest
 * leader epoch it obeyed (fencing) and the ceiling of the report sequences it reserved (every
 * report_seq it ever used is at most that, so a restarted agent starts above it and sequences only
 * grow). Stored as JSON; unknown fields are ignored so later versions can add to it.
 */
public record Checkpoint(long highestEpoch, long reportSeqCeiling) {

    public static Checkpoint empty() {
        return new Checkpoint(0, 0);
    }
}
