package io.farget.it.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.it.fault.InvariantChecker.PodView;
import io.farget.it.fault.InvariantChecker.Verdict;
import io.farget.it.fault.InvariantChecker.Window;
import io.farget.it.fault.RunJournal.Run;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvariantCheckerTest {
    private static final long OPEN = Long.MAX_VALUE;
    private final InvariantChecker checker = new InvariantChecker(4_000);

    @Test
    void aPodRunningOnceWhereTheSchedulersSayIsClean() {
        Verdict verdict = checker.check(Map.of("p", "web"), List.of(new PodView("p", "web", "RUNNING", "a1", 1)),
                List.of(new Run("a1", "p", 1, 0, OPEN)), Map.of(), 10_000);
        assertThat(verdict.clean()).isTrue();
    }

    @Test
    void anAcceptedPodTheSchedulersForgotOrGaveUpIsLost() {
        Verdict verdict = checker.check(Map.of("p", "web", "q", "db"), List.of(new PodView("q", "db", "LOST", "a1", 1)),
                List.of(), Map.of(), 10_000);
        assertThat(verdict.lost()).hasSize(2);
    }

    @Test
    void oneSubmissionTwiceOrOnePodOnTwoHostsIsDuplicated() {
        Verdict twice = checker.check(Map.of("p", "web"),
                List.of(new PodView("p", "web", "RUNNING", "a1", 1), new PodView("x", "web", "RUNNING", "a2", 1)),
                List.of(new Run("a1", "p", 1, 0, OPEN)), Map.of(), 10_000);
        assertThat(twice.duplicated()).hasSize(1);

        Verdict twoHosts = checker.check(Map.of("p", "web"), List.of(new PodView("p", "web", "RUNNING", "a1", 2)),
                List.of(new Run("a1", "p", 2, 5_000, OPEN), new Run("a2", "p", 1, 0, OPEN)), Map.of(), 10_000);
        assertThat(twoHosts.duplicated()).hasSize(1);
        assertThat(twoHosts.settled()).isFalse();
    }

    @Test
    void aDoubleRunCountsOnlyWhileBothHostsWereReachable() {
        // a2 cut off from 1 s to 20 s; the pod moved to a1 at 7 s; a2's copy was killed at 22 s
        List<Run> runs = List.of(new Run("a2", "p", 1, 0, 22_000), new Run("a1", "p", 2, 7_000, OPEN));
        Verdict verdict = checker.check(Map.of("p", "web"), List.of(new PodView("p", "web", "RUNNING", "a1", 2)), runs,
                Map.of("a2", List.of(new Window(1_000, 20_000))), 30_000);
        assertThat(verdict.maxDoubleRunMillis()).isEqualTo(15_000);
        assertThat(verdict.maxDoubleRunReachableMillis()).isEqualTo(2_000);
        assertThat(verdict.clean()).isTrue();

        Verdict late = checker.check(Map.of("p", "web"), List.of(new PodView("p", "web", "RUNNING", "a1", 2)),
                List.of(new Run("a2", "p", 1, 0, 30_000), new Run("a1", "p", 2, 7_000, OPEN)),
                Map.of("a2", List.of(new Window(1_000, 20_000))), 40_000);
        assertThat(late.doubleRunViolations()).hasSize(1);
    }

    @Test
    void coveredMergesOverlappingWindows() {
        assertThat(InvariantChecker.covered(0, 100, List.of(new Window(10, 30), new Window(20, 40), new Window(90, OPEN)), 95))
                .isEqualTo(35);
    }
}
