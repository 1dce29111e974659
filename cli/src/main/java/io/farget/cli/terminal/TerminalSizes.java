package io.farget.cli.terminal;

import io.farget.proto.v1.TerminalSize;
import java.util.Map;
import java.util.Optional;

/** Where a terminal's size comes from: {@code stty size} ("ROWS COLS"), or LINES and COLUMNS when no terminal is at hand. */
public final class TerminalSizes {
    private TerminalSizes() {}

    /** Parses {@code stty size}'s answer; empty unless it names a real size. */
    public static Optional<TerminalSize> parse(String sttySize) {
        String[] parts = sttySize.strip().split("\\s+");
        if (parts.length != 2) {
            return Optional.empty();
        }
        return of(parts[0], parts[1]);
    }

    /** The size scripts announce with LINES and COLUMNS (both needed). */
    public static Optional<TerminalSize> fromEnv(Map<String, String> env) {
        String lines = env.get("LINES");
        String columns = env.get("COLUMNS");
        return lines == null || columns == null ? Optional.empty() : of(lines, columns);
    }

    private static Optional<TerminalSize> of(String rows, String cols) {
        try {
            int r = Integer.parseInt(rows.strip());
            int c = Integer.parseInt(cols.strip());
            return r > 0 && c > 0 && r <= 0xFFFF && c <= 0xFFFF
                    ? Optional.of(TerminalSize.newBuilder().setRows(r).setCols(c).build()) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
