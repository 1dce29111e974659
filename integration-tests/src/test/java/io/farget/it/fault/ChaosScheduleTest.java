package io.farget.it.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.it.fault.ChaosSchedule.Kind;
import io.farget.it.fault.ChaosSchedule.Step;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChaosScheduleTest {
    private static List<Step> steps(long seed, int count) {
        ChaosSchedule schedule = new ChaosSchedule(seed, 3, 3);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            steps.add(schedule.next());
        }
        return steps;
    }

    @Test
    void aSeedReplaysTheSameFaults() {
        assertThat(steps(42, 50)).isEqualTo(steps(42, 50));
        assertThat(steps(42, 50)).isNotEqualTo(steps(43, 50));
    }

    @Test
    void everyKindOfFaultComesUpOnValidTargets() {
        Set<Kind> seen = EnumSet.noneOf(Kind.class);
        for (Step step : steps(7, 200)) {
            seen.add(step.kind());
            assertThat(step.target()).isBetween(0, 2);
            assertThat(step.hold().toMillis()).isBetween(500L, 9_000L);
        }
        assertThat(seen).containsExactlyInAnyOrder(Kind.values());
    }
}
