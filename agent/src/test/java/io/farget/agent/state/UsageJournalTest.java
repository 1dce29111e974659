package io.farget.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.common.Timestamps;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodUsage;
import io.farget.proto.v1.PodUsageSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageJournalTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static PodUsageSample sample(String podId, long seq, long cpuNanos) {
        return PodUsageSample.newBuilder().setPodId(podId).setAttempt(1).setUsage(PodUsage.newBuilder()
                .setSampleSeq(seq).setCpuNanos(cpuNanos).setSampledAt(Timestamps.of(CLOCK.instant()))).build();
    }

    @Test
    void unsentSamplesAndFinalReportsSurviveARestartAndAreSentOnce() {
        Path file = dir.resolve("usage-journal.json");
        UsageJournal journal = UsageJournal.open(file, CLOCK, 100);
        journal.record(List.of(sample("p1", 1, 10)), false); // sent
        journal.record(List.of(sample("p1", 2, 20), sample("p2", 1, 5)), true); // no leader
        journal.reported(PodReport.newBuilder().setPodId("p2").setAttempt(1).setPhase(PodPhase.POD_PHASE_SUCCEEDED).build());
        journal.reported(PodReport.newBuilder().setPodId("p1").setAttempt(1).setPhase(PodPhase.POD_PHASE_RUNNING).build());
        journal.flush();

        UsageJournal restarted = UsageJournal.open(file, CLOCK, 100);

        assertThat(restarted.drainPending()).extracting(s -> s.getUsage().getSampleSeq()).containsExactly(2L, 1L);
        assertThat(restarted.drainPending()).isEmpty();
        assertThat(restarted.last("p1", 1)).map(PodUsage::getCpuNanos).contains(20L);
        assertThat(restarted.last("p1", 2)).isEmpty();
        assertThat(restarted.finalReports(id -> false)).extracting(PodReport::getPodId).containsExactly("p2");
        assertThat(restarted.finalReports(id -> id.equals("p2"))).isEmpty();
    }

    @Test
    void samplesALeaderHasWaitForTheRoundWhileUnsentOnesAndFinalReportsAreWrittenAtOnce() {
        Path file = dir.resolve("usage-journal.json");
        UsageJournal journal = UsageJournal.open(file, CLOCK, 100);

        journal.record(List.of(sample("p1", 1, 10)), false); // a pod's start sample, sent
        journal.flushIfAtRisk();
        assertThat(file).as("no write for a sample a leader has").doesNotExist();

        journal.flush(); // the round
        assertThat(UsageJournal.open(file, CLOCK, 100).last("p1", 1)).map(PodUsage::getSampleSeq).contains(1L);

        journal.record(List.of(sample("p1", 2, 20)), false);
        journal.reported(PodReport.newBuilder().setPodId("p1").setAttempt(1).setPhase(PodPhase.POD_PHASE_RUNNING).build());
        journal.flushIfAtRisk();
        assertThat(UsageJournal.open(file, CLOCK, 100).last("p1", 1)).as("still the round's").map(PodUsage::getSampleSeq).contains(1L);

        journal.record(List.of(sample("p2", 1, 5)), true); // no leader listens
        journal.flushIfAtRisk();
        UsageJournal afterCrash = UsageJournal.open(file, CLOCK, 100);
        assertThat(afterCrash.drainPending()).extracting(PodUsageSample::getPodId).containsExactly("p2");
        assertThat(afterCrash.last("p1", 1)).as("written along").map(PodUsage::getSampleSeq).contains(2L);

        journal.reported(PodReport.newBuilder().setPodId("p3").setAttempt(1).setPhase(PodPhase.POD_PHASE_FAILED).build());
        journal.flushIfAtRisk();
        assertThat(UsageJournal.open(file, CLOCK, 100).finalReports(id -> false)).extracting(PodReport::getPodId).containsExactly("p3");
    }

    @Test
    void aFullJournalKeepsTheNewestCountersOfEveryPodSoNoUsageIsLost() {
        UsageJournal journal = UsageJournal.open(dir.resolve("j.json"), CLOCK, 10);
        for (int seq = 1; seq <= 20; seq++) {
            journal.record(List.of(sample("p1", seq, seq * 100L), sample("p2", seq, seq * 10L)), true);
        }

        List<PodUsageSample> pending = journal.drainPending();

        assertThat(pending.size()).isLessThanOrEqualTo(10);
        assertThat(pending).filteredOn(s -> s.getPodId().equals("p1")).extracting(s -> s.getUsage().getCpuNanos()).contains(2000L);
        assertThat(pending).filteredOn(s -> s.getPodId().equals("p2")).extracting(s -> s.getUsage().getCpuNanos()).contains(200L);
    }

    @Test
    void aJournalWrittenEveryRoundHoldsTheNewestCountersOfEveryPodAndKeepsFinalReports() {
        Path file = dir.resolve("j.json");
        UsageJournal journal = UsageJournal.open(file, CLOCK, 100);
        journal.reported(PodReport.newBuilder().setPodId("ended").setAttempt(1).setPhase(PodPhase.POD_PHASE_FAILED).build());
        for (int round = 1; round <= 3; round++) {
            journal.record(List.of(sample("p1", round, round * 100L), sample("p2", round, round * 10L)), false);
            journal.flush();
        }
        journal.record(List.of(sample("p1", 4, 400)), false); // after the last write: waits for the next round

        UsageJournal restarted = UsageJournal.open(file, CLOCK, 100);

        assertThat(restarted.last("p1", 1)).map(PodUsage::getCpuNanos).contains(300L);
        assertThat(restarted.last("p2", 1)).map(PodUsage::getCpuNanos).contains(30L);
        assertThat(restarted.finalReports(id -> false)).extracting(PodReport::getPodId).containsExactly("ended");
        assertThat(restarted.pendingCount()).isZero();

        restarted.flush(); // nothing changed: the file stays as it was read
        restarted.record(List.of(sample("p1", 5, 500)), true);
        restarted.flushIfAtRisk();
        UsageJournal again = UsageJournal.open(file, CLOCK, 100);
        assertThat(again.last("p2", 1)).as("read back, written again unchanged").map(PodUsage::getCpuNanos).contains(30L);
        assertThat(again.drainPending()).extracting(s -> s.getUsage().getCpuNanos()).containsExactly(500L);
        assertThat(again.finalReports(id -> false)).extracting(PodReport::getPodId).containsExactly("ended");
    }

    /** Asking whether a pod is held takes that pod's lock, under which an ending pod writes the journal. */
    @Test
    void whetherAPodIsHeldIsNeverAskedUnderTheJournalsLock() throws Exception {
        UsageJournal journal = UsageJournal.open(dir.resolve("j.json"), CLOCK, 10);
        journal.record(List.of(sample("p1", 1, 1)), false);
        journal.reported(PodReport.newBuilder().setPodId("p2").setAttempt(1).setPhase(PodPhase.POD_PHASE_SUCCEEDED).build());
        List<Boolean> askedUnderLock = new ArrayList<>();
        Predicate<String> held = id -> {
            askedUnderLock.add(Thread.holdsLock(journal));
            return false;
        };

        assertThat(journal.finalReports(held)).extracting(PodReport::getPodId).containsExactly("p2");
        journal.forgetUnless(held, CLOCK.instant().plusSeconds(1));

        assertThat(askedUnderLock).hasSize(3).containsOnly(false);
        assertThat(journal.last("p1", 1)).isEmpty();
        assertThat(journal.finalReports(id -> false)).isEmpty();
    }

    @Test
    void forgottenPodsLeaveTheJournalAndAnUnreadableFileStartsEmpty() throws Exception {
        Path file = dir.resolve("j.json");
        UsageJournal journal = UsageJournal.open(file, CLOCK, 10);
        journal.record(List.of(sample("p1", 1, 1)), false);
        journal.forgetUnless(id -> false, CLOCK.instant().plusSeconds(1));
        assertThat(journal.last("p1", 1)).isEmpty();

        Files.writeString(file, "{not json");
        assertThat(UsageJournal.open(file, CLOCK, 10).pendingCount()).isZero();
    }
}
