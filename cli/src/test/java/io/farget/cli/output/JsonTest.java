package io.farget.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.cli.view.ResourcesView;
import io.farget.cli.view.StatusView;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    record Sample(String id, Integer exitCode, Instant at, ResourcesView resources, List<String> none, Map<String, String> empty) {}

    @Test
    void writesFieldsInOrderWithNullsTimesInUtcAndPlainDecimals() {
        String json = Json.write(new Sample("p1", null, Instant.parse("2026-11-28T15:20:31Z"),
                new ResourcesView(new BigDecimal("0.25"), 1024), List.of(), Map.of()));

        assertThat(json).isEqualTo("""
                {
                  "id": "p1",
                  "exitCode": null,
                  "at": "2026-11-28T15:20:31.000Z",
                  "resources": {
                    "cpu": 0.25,
                    "memoryBytes": 1024
                  },
                  "none": [],
                  "empty": {}
                }""");
    }

    @Test
    void bigDecimalsNeverUseExponents() {
        assertThat(Json.write(new BigDecimal("1E+3"))).isEqualTo("1000");
    }

    @Test
    void listsAreArrays() {
        String json = Json.write(List.of(new StatusView.SchedulerView("127.0.0.1:7070", "leader")));

        assertThat(json).startsWith("[").endsWith("]").contains("\"role\": \"leader\"");
    }

    @Test
    void timesKeepMillisecondsOnly() {
        assertThat(Json.formatTime(Instant.parse("2026-01-02T03:04:05.123456789Z"))).isEqualTo("2026-01-02T03:04:05.123Z");
    }
}
