package io.farget.scheduler.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.threeten.extra.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RescheduleBudgetTest {
    private final MutableClock clock = MutableClock.of(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    private int takeAll(RescheduleBudget budget, int fleet) {
        int taken = 0;
        while (budget.tryTake(fleet)) {
            taken++;
        }
        return taken;
    }

    @Test
    void aMinuteOfTenPercentOfTheFleetThenARefillAtThatRate() {
        RescheduleBudget budget = new RescheduleBudget(clock, 0.10, 10);
        assertThat(takeAll(budget, 1_000)).isEqualTo(100);

        clock.add(Duration.ofSeconds(6)); // a tenth of a minute
        assertThat(takeAll(budget, 1_000)).isEqualTo(10);

        clock.add(Duration.ofMinutes(5)); // never more than a minute's worth
        assertThat(takeAll(budget, 1_000)).isEqualTo(100);
    }

    @Test
    void aSmallFleetStillGetsTheMinimum() {
        RescheduleBudget budget = new RescheduleBudget(clock, 0.10, 10);
        assertThat(takeAll(budget, 20)).isEqualTo(10);
    }
}
