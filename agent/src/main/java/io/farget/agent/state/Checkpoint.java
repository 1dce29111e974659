package io.farget.agent.state;

import java.util.Map;

/**
 * What an agent must remember across restarts to keep its promises to the scheduler: the highest
 * leader epoch it obeyed (fencing) and, per pod, the last report_seq it used (so sequences only grow).
 * Stored as JSON; unknown fields are ignored so later versions can add to it (e.g. for re-adoption).
 */
public record Checkpoint(long highestEpoch, Map<String, PodEntry> pods) {

    /** One pod: its attempt, the last report_seq sent for it, and when that was (epoch millis). */
    public record PodEntry(int attempt, long reportSeq, long updatedAtMillis) {}

    public static Checkpoint empty() {
        return new Checkpoint(0, Map.of());
    }

    public Checkpoint {
        pods = pods == null ? Map.of() : Map.copyOf(pods);
    }
}
