package io.farget.cli.terminal;

import io.farget.proto.v1.TerminalSize;
import java.util.Map;
import java.util.Optional;

/**
 * Where a terminal's size comes from: {@code stty size} ("ROWS COLS"), or LINES and COLUMNS when no
 * terminal is at hand, or else the 24 x 80 of a classic terminal (what {@code ssh -t} and
 * {@code docker exec -t} assume), never 0 x 0, which full-screen programs cannot draw on.
 */
public final class TerminalSizes {
    /** The size assumed when nothing tells one: 24 rows, 80 columns. */
    public static final TerminalSize DEFAULT = TerminalSize.newBuilder().setRows(24).setCols(80).build();

    private TerminalSizes() {}

    /** The local terminal's size if known, else the environment's, else {@link #DEFAULT}. */
    public static TerminalSize choose(Optional<TerminalSize> local, Map<String, String> env) {
        return local.or(() -> fromEnv(env)).orElse(DEFAULT);
    }

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
