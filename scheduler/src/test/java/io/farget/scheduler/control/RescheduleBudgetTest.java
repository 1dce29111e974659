package io.farget.scheduler.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RescheduleBudgetTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

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

        now.set(now.get().plus(Duration.ofSeconds(6))); // a tenth of a minute
        assertThat(takeAll(budget, 1_000)).isEqualTo(10);

        now.set(now.get().plus(Duration.ofMinutes(5))); // never more than a minute's worth
        assertThat(takeAll(budget, 1_000)).isEqualTo(100);
    }

    @Test
    void aSmallFleetStillGetsTheMinimum() {
        RescheduleBudget budget = new RescheduleBudget(clock, 0.10, 10);
        assertThat(takeAll(budget, 20)).isEqualTo(10);
    }
}
