package io.farget.agent.state;

import com.google.protobuf.InvalidProtocolBufferException;
import io.farget.common.PodPhases;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodUsage;
import io.farget.proto.v1.PodUsageSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's usage on disk, so metering survives an unreachable scheduler and an agent restart:
 * samples taken while no leader listened (sent when one does), the last cumulative counters of
 * every pod attempt (so a re-adopted pod's counters and sequence numbers continue), and the final
 * report of every finished pod (so a restarted agent can still tell how it ended).
 *
 * <p>Bounded: past {@code maxPending} samples, the pending ones are compacted to the newest per pod
 * attempt. Counters are cumulative, so that loses no usage, only resolution in time. Written
 * atomically (temp file + rename), whole ({@link UsageJournalFile}), so writes are kept rare, and
 * each message is encoded once, by the first write that holds it ({@link Encoded}):
 * <ul>
 *   <li>at once ({@link #flushIfAtRisk()}) when memory holds what a crash would lose for good:
 *       samples no leader received yet, or a pod's final report;</li>
 *   <li>otherwise coalesced, once per sampling round ({@link #flush()}): the newest counters of
 *       samples a leader already has only let a re-adopted pod continue, and may lag a round behind.
 *       Counters are cumulative and the adopted pod's sample_seq jumps far above the journaled one
 *       ({@code PodSupervisor.SAMPLE_SEQ_GAP}), so the lag costs neither usage nor ordering.</li>
 * </ul>
 */
public final class UsageJournal {
    private static final Logger log = LoggerFactory.getLogger(UsageJournal.class);
    public static final int DEFAULT_MAX_PENDING = 10_000;

    private final Path file;
    private final Clock clock;
    private final int maxPending;
    private final List<Encoded<PodUsageSample>> pending = new ArrayList<>();
    private final Map<String, Encoded<PodUsageSample>> last = new LinkedHashMap<>();
    private final Map<String, Encoded<PodReport>> finals = new LinkedHashMap<>();
    private final Map<String, Long> touchedMillis = new LinkedHashMap<>();
    private boolean changed;
    /** Memory holds unsent samples or a final report that the file does not hold yet. */
    private boolean atRisk;
    /** Held from snapshot to rename, so writes land in the order of their snapshots. */
    private final Object writing = new Object();

    private UsageJournal(Path file, Clock clock, int maxPending) {
        this.file = file;
        this.clock = clock;
        this.maxPending = maxPending;
    }

    /** Loads the journal at {@code file}; a missing or unreadable one starts empty (and says so). */
    public static UsageJournal open(Path file, Clock clock, int maxPending) {
        UsageJournal journal = new UsageJournal(file, clock, maxPending);
        if (Files.exists(file)) {
            try {
                journal.restore(UsageJournalFile.read(file));
            } catch (IOException e) {
                log.warn("Ignoring unreadable usage journal {} ({})", file, e.getMessage());
            }
        }
        return journal;
    }

    private void restore(UsageJournalFile.Stored stored) throws InvalidProtocolBufferException {
        Base64.Decoder b64 = Base64.getDecoder();
        for (String s : orEmpty(stored.pending())) {
            byte[] bytes = b64.decode(s);
            pending.add(Encoded.read(PodUsageSample.parseFrom(bytes), bytes));
        }
        for (Map.Entry<String, String> e : orEmpty(stored.last()).entrySet()) {
            byte[] bytes = b64.decode(e.getValue());
            last.put(e.getKey(), Encoded.read(PodUsageSample.parseFrom(bytes), bytes));
        }
        for (Map.Entry<String, String> e : orEmpty(stored.finals()).entrySet()) {
            byte[] bytes = b64.decode(e.getValue());
            finals.put(e.getKey(), Encoded.read(PodReport.parseFrom(bytes), bytes));
        }
        touchedMillis.putAll(orEmpty(stored.touched()));
        if (!pending.isEmpty()) {
            log.info("Usage journal holds {} samples not yet sent", pending.size());
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }

    /** Remembers the newest counters of each sample's attempt; {@code unsent} ones are kept to send later. */
    public synchronized void record(List<PodUsageSample> samples, boolean unsent) {
        long now = clock.millis();
        List<Encoded<PodUsageSample>> kept = new ArrayList<>(samples.size());
        for (PodUsageSample s : samples) {
            Encoded<PodUsageSample> e = Encoded.of(s);
            kept.add(e);
            Encoded<PodUsageSample> knownEncoded = last.get(s.getPodId());
            PodUsageSample known = knownEncoded == null ? null : knownEncoded.message();
            if (known == null || known.getAttempt() < s.getAttempt()
                    || (known.getAttempt() == s.getAttempt() && known.getUsage().getSampleSeq() < s.getUsage().getSampleSeq())) {
                last.put(s.getPodId(), e);
            }
            touchedMillis.put(s.getPodId(), now);
        }
        if (unsent) {
            pending.addAll(kept);
            if (pending.size() > maxPending) {
                compact();
            }
            atRisk |= !samples.isEmpty();
        }
        changed |= !samples.isEmpty();
    }

    /** Keeps only the newest pending sample of each attempt, then the newest {@code maxPending}. */
    private void compact() {
        Map<String, Encoded<PodUsageSample>> newest = new LinkedHashMap<>();
        for (Encoded<PodUsageSample> e : pending) {
            PodUsageSample s = e.message();
            newest.merge(s.getPodId() + "#" + s.getAttempt(), e,
                    (a, b) -> a.message().getUsage().getSampleSeq() >= b.message().getUsage().getSampleSeq() ? a : b);
        }
        int before = pending.size();
        pending.clear();
        pending.addAll(newest.values());
        if (pending.size() > maxPending) {
            int dropped = pending.size() - maxPending;
            pending.subList(0, dropped).clear();
            log.warn("Usage journal full: dropped the pending samples of {} pod attempts", dropped);
        }
        log.info("Usage journal compacted from {} to {} pending samples", before, pending.size());
    }

    /** Keeps a pod's final report (until the pod is forgotten). Other reports are not kept. */
    public synchronized void reported(PodReport report) {
        if (PodPhases.isTerminal(report.getPhase())) {
            finals.put(report.getPodId(), Encoded.of(report));
            touchedMillis.put(report.getPodId(), clock.millis());
            changed = true;
            atRisk = true;
        }
    }

    /** Takes every pending sample, oldest first: the caller sends them now. */
    public synchronized List<PodUsageSample> drainPending() {
        List<PodUsageSample> out = pending.stream().map(Encoded::message).toList();
        changed |= !pending.isEmpty();
        pending.clear();
        return out;
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    /**
     * The final reports kept, for pods the agent no longer holds (after a restart). {@code held} is
     * asked outside this journal's lock: it takes pod locks, and a pod that ends reports (and so
     * writes this journal) while holding its own, so asking it inside would deadlock the two.
     */
    public List<PodReport> finalReports(Predicate<String> held) {
        List<PodReport> kept;
        synchronized (this) {
            kept = finals.values().stream().map(Encoded::message).toList();
        }
        return kept.stream().filter(r -> !held.test(r.getPodId())).toList();
    }

    /** The newest counters of an attempt, from which a re-adopted pod's usage continues. */
    public synchronized Optional<PodUsage> last(String podId, int attempt) {
        Encoded<PodUsageSample> e = last.get(podId);
        return e != null && e.message().getAttempt() == attempt ? Optional.of(e.message().getUsage()) : Optional.empty();
    }

    /**
     * Forgets pods not held any more and untouched since {@code cutoff}. {@code held} is asked outside
     * this journal's lock, as in {@link #finalReports}; a pod touched meanwhile is kept.
     */
    public void forgetUnless(Predicate<String> held, Instant cutoff) {
        long before = cutoff.toEpochMilli();
        List<String> untouched;
        synchronized (this) {
            untouched = touchedMillis.entrySet().stream().filter(e -> e.getValue() < before).map(Map.Entry::getKey).toList();
        }
        List<String> gone = untouched.stream().filter(podId -> !held.test(podId)).toList();
        synchronized (this) {
            boolean forgot = false;
            for (String podId : gone) {
                Long touched = touchedMillis.get(podId);
                if (touched != null && touched < before) {
                    touchedMillis.remove(podId);
                    last.remove(podId);
                    finals.remove(podId);
                    forgot = true;
                }
            }
            changed |= forgot;
        }
    }

    /** Writes the journal if it changed since the last write. */
    public void flush() {
        synchronized (writing) {
            UsageJournalFile.Contents snapshot;
            boolean wasAtRisk;
            synchronized (this) {
                if (!changed) {
                    return;
                }
                wasAtRisk = atRisk;
                changed = false;
                atRisk = false;
                snapshot = snapshot();
            }
            try {
                AtomicFiles.write(file, UsageJournalFile.write(snapshot));
            } catch (IOException e) {
                synchronized (this) {
                    changed = true;
                    atRisk |= wasAtRisk;
                }
                log.warn("Cannot write the usage journal {}: {}", file, e.getMessage());
            }
        }
    }

    /**
     * Writes the journal now if a crash would lose something for good (samples no leader received,
     * a final report); newer counters of sent samples wait for the next {@link #flush()}.
     */
    public void flushIfAtRisk() {
        synchronized (this) {
            if (!atRisk) {
                return;
            }
        }
        flush();
    }

    /** What to write, copied (the messages are immutable) so the encoding and the write run outside the lock. */
    private UsageJournalFile.Contents snapshot() {
        return new UsageJournalFile.Contents(List.copyOf(pending), new LinkedHashMap<>(last), new LinkedHashMap<>(finals),
                new HashMap<>(touchedMillis));
    }
}
