package io.farget.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ConvertersTimeTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void acceptsRfc3339DatesAndAges() {
        assertThat(Converters.parseTime("2026-11-27T09:30:00Z", NOW)).isEqualTo(Instant.parse("2026-11-27T09:30:00Z"));
        assertThat(Converters.parseTime("2026-11-27T11:30:00+02:00", NOW)).isEqualTo(Instant.parse("2026-11-27T09:30:00Z"));
        assertThat(Converters.parseTime("2026-11-27", NOW)).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(Converters.parseTime("90m", NOW)).isEqualTo(NOW.minusSeconds(5400));
        assertThat(Converters.parseTime("7d", NOW)).isEqualTo(NOW.minusSeconds(7 * 86400));
    }

    @Test
    void rejectsAnythingElseWithAUsageError() {
        assertThatThrownBy(() -> Converters.parseTime("yesterday", NOW)).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("not a time");
    }
}
