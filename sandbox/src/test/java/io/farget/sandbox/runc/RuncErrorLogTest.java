package io.farget.sandbox.runc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuncErrorLogTest {
    @Test
    void theLastErrorLineIsTheReasonWithoutRuncsPrefix() {
        List<String> lines = List.of(
                "{\"level\":\"warning\",\"msg\":\"something harmless\",\"time\":\"2024-01-01T00:00:00Z\"}",
                "{\"level\":\"error\",\"msg\":\"first\",\"time\":\"2024-01-01T00:00:00Z\"}",
                "not json at all",
                "{\"level\":\"error\",\"msg\":\"runc run failed: unable to start container process: exec: \\\"nope\\\": "
                        + "executable file not found in $PATH\",\"time\":\"2024-01-01T00:00:00Z\"}");

        assertThat(RuncErrorLog.reason(lines)).contains(
                "unable to start container process: exec: \"nope\": executable file not found in $PATH");
    }

    @Test
    void noErrorLineNoReason() {
        assertThat(RuncErrorLog.reason(List.of("{\"level\":\"info\",\"msg\":\"hi\"}"))).isEmpty();
        assertThat(RuncErrorLog.reason(List.of())).isEmpty();
    }
}
