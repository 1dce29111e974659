package io.farget.agent.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live checkpoint: hands out report sequences and keeps the highest epoch, writing to disk
 * (temp file + rename) before the caller acts on anything a crash must not lose.
 *
 * <p>Report sequences come from one counter for all the agent's pods, so they grow per pod as the
 * scheduler requires. The counter is not written per report: the checkpoint reserves blocks of
 * {@link #SEQ_BLOCK} sequences and stores only the block's ceiling, before the first sequence of the
 * block is used. A restarted agent continues above the stored ceiling, so a crash never lets a
 * sequence go backwards; it only skips the rest of the block, which is harmless (the scheduler only
 * compares). One write per million reports, and one per new epoch.
 */
public final class AgentCheckpoint {
    private static final Logger log = LoggerFactory.getLogger(AgentCheckpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Sequences reserved per write: millions of lives fit in 63 bits, and a write per block is nothing. */
    static final long SEQ_BLOCK = 1L << 20;

    private final Path file;
    private long highestEpoch;
    /** Every sequence handed out, by this life or an earlier one, is at most this; on disk. */
    private long reportSeqCeiling;
    private long nextReportSeq;

    private AgentCheckpoint(Path file, Checkpoint loaded) {
        this.file = file;
        this.highestEpoch = loaded.highestEpoch();
        this.reportSeqCeiling = loaded.reportSeqCeiling();
        this.nextReportSeq = loaded.reportSeqCeiling() + 1;
    }

    /** Loads the checkpoint at {@code file}; a missing or unreadable one starts empty (and says so). */
    public static AgentCheckpoint open(Path file) {
        return new AgentCheckpoint(file, read(file));
    }

    /**
     * The stored checkpoint. Agents before the sequence blocks stored each pod's last report_seq
     * under {@code pods}; the highest of those counts as the ceiling, so an upgrade goes on above them.
     */
    static Checkpoint read(Path file) {
        if (!Files.exists(file)) {
            return Checkpoint.empty();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            long ceiling = root.path("reportSeqCeiling").asLong(0);
            for (JsonNode pod : root.path("pods")) {
                ceiling = Math.max(ceiling, pod.path("reportSeq").asLong(0));
            }
            return new Checkpoint(root.path("highestEpoch").asLong(0), ceiling);
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

    /**
     * The next report_seq: above every one this agent used before, in this life or an earlier one.
     * Writes only when a new block must be reserved first.
     */
    public synchronized long nextReportSeq() {
        if (nextReportSeq > reportSeqCeiling) {
            reportSeqCeiling = nextReportSeq - 1 + SEQ_BLOCK;
            save();
        }
        return nextReportSeq++;
    }

    public synchronized Checkpoint snapshot() {
        return new Checkpoint(highestEpoch, reportSeqCeiling);
    }

    private void save() {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(snapshot()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the agent checkpoint " + file, e);
        }
    }
}
