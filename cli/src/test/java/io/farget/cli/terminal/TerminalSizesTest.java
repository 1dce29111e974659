package io.farget.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.TerminalSize;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalSizesTest {
    @Test
    void readsSttySizeAsRowsThenColumns() {
        assertThat(TerminalSizes.parse("33 120\n")).contains(TerminalSize.newBuilder().setRows(33).setCols(120).build());
    }

    @Test
    void aTerminalWithoutASizeOrNonsenseGivesNone() {
        assertThat(TerminalSizes.parse("0 0")).isEmpty();
        assertThat(TerminalSizes.parse("")).isEmpty();
        assertThat(TerminalSizes.parse("stty: 'standard input': Inappropriate ioctl for device")).isEmpty();
        assertThat(TerminalSizes.parse("70000 80")).isEmpty();
    }

    @Test
    void linesAndColumnsStandInWithoutATerminal() {
        assertThat(TerminalSizes.fromEnv(Map.of("LINES", "40", "COLUMNS", "100")))
                .contains(TerminalSize.newBuilder().setRows(40).setCols(100).build());
        assertThat(TerminalSizes.fromEnv(Map.of("COLUMNS", "100"))).isEmpty();
        assertThat(TerminalSizes.fromEnv(Map.of())).isEmpty();
    }

    @Test
    void withoutATerminalOrLinesAndColumnsTheSizeIsTwentyFourByEighty() {
        TerminalSize local = TerminalSize.newBuilder().setRows(50).setCols(200).build();
        assertThat(TerminalSizes.choose(java.util.Optional.of(local), Map.of("LINES", "40", "COLUMNS", "100"))).isEqualTo(local);
        assertThat(TerminalSizes.choose(java.util.Optional.empty(), Map.of("LINES", "40", "COLUMNS", "100")))
                .isEqualTo(TerminalSize.newBuilder().setRows(40).setCols(100).build());
        assertThat(TerminalSizes.choose(java.util.Optional.empty(), Map.of()))
                .isEqualTo(TerminalSize.newBuilder().setRows(24).setCols(80).build());
    }
}
