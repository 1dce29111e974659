package io.farget.it.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.it.fault.RunJournal.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunJournalTest {
    @Test
    void aPodRunsFromItsStartToItsExit() {
        List<Run> runs = RunJournal.parse("a1", List.of("100 BOOT fake", "110 START p 1", "150 EXIT p", "160 REMOVE p"));
        assertThat(runs).containsExactly(new Run("a1", "p", 1, 110, 150));
    }

    @Test
    void fakePodsDieWithTheirAgentButRuncPodsAreAdopted() {
        List<Run> fake = RunJournal.parse("a1", List.of("100 BOOT fake", "110 START p 1", "200 DIED", "300 BOOT fake"));
        assertThat(fake).containsExactly(new Run("a1", "p", 1, 110, 200));

        List<Run> runc = RunJournal.parse("r1", List.of("100 BOOT runc", "110 START p 1", "200 DIED", "300 BOOT runc", "310 ADOPT p 1"));
        assertThat(runc).containsExactly(new Run("r1", "p", 1, 110, Long.MAX_VALUE));
    }

    @Test
    void aTornLastLineIsIgnored() {
        assertThat(RunJournal.parse("a1", List.of("100 BOOT fake", "110 START p 1", "12"))).hasSize(1).allMatch(Run::open);
    }
}
