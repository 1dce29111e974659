package io.farget.agent.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live checkpoint: answers and updates report sequences and the highest epoch, and writes every
 * change to disk (temp file + rename) before the caller acts on it, so a crash never lets a sequence
 * go backwards. Changes are rare (pod phase changes, new epochs), so writing each one is cheap.
 */
public final class AgentCheckpoint {
    private static final Logger log = LoggerFactory.getLogger(AgentCheckpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;
    private final Clock clock;
    private long highestEpoch;
    private final Map<String, Checkpoint.PodEntry> pods = new HashMap<>();

    private AgentCheckpoint(Path file, Clock clock, Checkpoint loaded) {
        this.file = file;
        this.clock = clock;
        this.highestEpoch = loaded.highestEpoch();
        this.pods.putAll(loaded.pods());
    }

    /** Loads the checkpoint at {@code file}; a missing or unreadable one starts empty (and says so). */
    public static AgentCheckpoint open(Path file, Clock clock) {
        return new AgentCheckpoint(file, clock, read(file));
    }

    static Checkpoint read(Path file) {
        if (!Files.exists(file)) {
            return Checkpoint.empty();
        }
        try {
            return JSON.readValue(file.toFile(), Checkpoint.class);
        } catch (IOException e) {
            log.warn("Ignoring unreadable checkpoint {} ({}); report sequences restart", file, e.getMessage());
            return Checkpoint.empty();
        }
    }

    public synchronized long highestEpoch() {
        return highestEpoch;
    }

    /** Raises the highest epoch seen; lower values are ignored. */
    public synchronized void raiseEpoch(long epoch) {
        if (epoch > highestEpoch) {
            highestEpoch = epoch;
            save();
        }
    }

    /** The next report_seq of a pod, already stored: one more than anything used for it before. */
    public synchronized long nextReportSeq(String podId, int attempt) {
        Checkpoint.PodEntry previous = pods.get(podId);
        long seq = previous == null ? 1 : previous.reportSeq() + 1;
        pods.put(podId, new Checkpoint.PodEntry(attempt, seq, clock.millis()));
        save();
        return seq;
    }

    /** Pod entries last touched before {@code cutoff} whose pods the agent no longer holds. */
    public synchronized void forgetUnless(java.util.function.Predicate<String> stillHeld, Instant cutoff) {
        boolean changed = pods.entrySet().removeIf(e ->
                !stillHeld.test(e.getKey()) && e.getValue().updatedAtMillis() < cutoff.toEpochMilli());
        if (changed) {
            save();
        }
    }

    public synchronized Checkpoint snapshot() {
        return new Checkpoint(highestEpoch, pods);
    }

    private void save() {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(snapshot()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the agent checkpoint " + file, e);
        }
    }
}
