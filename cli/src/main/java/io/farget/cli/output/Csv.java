package io.farget.cli.output;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** RFC 4180 CSV: a header line, then one line per row; nulls are empty cells, times RFC 3339 UTC. */
public final class Csv {
    private Csv() {}

    public static String write(List<String> header, List<List<Object>> rows) {
        StringBuilder out = new StringBuilder(line(List.copyOf(header)));
        rows.forEach(row -> out.append(line(row)));
        return out.toString();
    }

    private static String line(List<?> cells) {
        return cells.stream().map(Csv::cell).collect(Collectors.joining(",")) + "\n";
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value instanceof java.math.BigDecimal d ? d.toPlainString()
                : value instanceof Instant i ? i.toString() : value.toString();
        if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
