package io.farget.sandbox.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WaitStatusTest {
    @Test
    void anExitGivesItsCode() {
        assertThat(WaitStatus.exitCode(3 << 8)).isEqualTo(3);
        assertThat(WaitStatus.exitCode(0)).isZero();
        assertThat(WaitStatus.exitCode(255 << 8)).isEqualTo(255);
        assertThat(WaitStatus.ended(3 << 8)).isTrue();
    }

    @Test
    void aFatalSignalGives128PlusItsNumber() {
        assertThat(WaitStatus.exitCode(9)).isEqualTo(137);
        assertThat(WaitStatus.exitCode(15)).isEqualTo(143);
        assertThat(WaitStatus.exitCode(9 | 0x80)).as("with a core dump").isEqualTo(137);
        assertThat(WaitStatus.ended(9)).isTrue();
    }

    @Test
    void stopsAndContinuesAreNotEnds() {
        assertThat(WaitStatus.ended((19 << 8) | 0x7f)).isFalse();
        assertThat(WaitStatus.ended(0xffff)).isFalse();
    }
}
