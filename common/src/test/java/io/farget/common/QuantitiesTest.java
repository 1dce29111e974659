package io.farget.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantitiesTest {
    @ParameterizedTest
    @CsvSource({"64Mi,67108864", "1Gi,1073741824", "512M,512000000", "4096,4096", "1.5Gi,1610612736", "1k,1000", "2Ki,2048", "10MiB,10485760"})
    void parsesSizes(String text, long bytes) {
        assertThat(Quantities.parseBytes(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"12XB", "-1Mi", "Mi", "''", "1.2.3"})
    void rejectsBadSizes(String text) {
        assertThatThrownBy(() -> Quantities.parseBytes(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a size");
    }

    @ParameterizedTest
    @CsvSource({"0.25,250", "2,2000", "250m,250", "1.5,1500", "0,0"})
    void parsesCpu(String text, long millis) {
        assertThat(Quantities.parseCpuMillis(text)).isEqualTo(millis);
    }

    @Test
    void rejectsCpuFinerThanAMillicore() {
        assertThatThrownBy(() -> Quantities.parseCpuMillis("0.0001")).hasMessageContaining("finer than one millicore");
        assertThatThrownBy(() -> Quantities.parseCpuMillis("-1")).hasMessageContaining("not a CPU amount");
    }

    @Test
    void formatsCoresAndBytes() {
        assertThat(Quantities.formatCores(250)).isEqualTo("0.25");
        assertThat(Quantities.formatCores(2000)).isEqualTo("2");
        assertThat(Quantities.cores(2000).toString()).isEqualTo("2");
        assertThat(Quantities.cores(250).toString()).isEqualTo("0.25");
        assertThat(Quantities.formatBytes(64L << 20)).isEqualTo("64Mi");
        assertThat(Quantities.formatBytes(1536L << 20)).isEqualTo("1.5Gi");
        assertThat(Quantities.formatBytes(100)).isEqualTo("100");
    }
}
