package io.farget.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartStagesTest {
    @Test
    void eachStageTakesTheTimeSinceThePreviousEndedAndTheTotalIsTheirSum() {
        StartStages stages = new StartStages(1_000_000_000L);

        stages.ended("prepare", 1_001_500_000L);
        stages.ended("containers", 1_073_800_000L);

        assertThat(stages).hasToString("prepare 1.5, containers 72.3 (total 73.8 ms)");
        assertThat(stages.totalMillis()).isEqualTo(73);
    }
}
