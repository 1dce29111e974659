package io.farget.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgesTest {
    @Test
    void preciseWhenYoungCoarseWhenOld() {
        assertThat(Ages.of(Duration.ofSeconds(-3))).isEqualTo("0s");
        assertThat(Ages.of(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Ages.of(Duration.ofSeconds(119))).isEqualTo("119s");
        assertThat(Ages.of(Duration.ofSeconds(330))).isEqualTo("5m30s");
        assertThat(Ages.of(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(Ages.of(Duration.ofMinutes(42))).isEqualTo("42m");
        assertThat(Ages.of(Duration.ofMinutes(200))).isEqualTo("3h20m");
        assertThat(Ages.of(Duration.ofHours(30))).isEqualTo("30h");
        assertThat(Ages.of(Duration.ofHours(52))).isEqualTo("2d4h");
        assertThat(Ages.of(Duration.ofDays(40))).isEqualTo("40d");
        assertThat(Ages.of(Duration.ofDays(1000))).isEqualTo("2y");
    }
}
