package io.farget.bench.placement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads the trace CSVs (header first, columns found by name, so extra or missing trailing columns do not matter). */
public final class TraceFiles {
    private TraceFiles() {}

    public static List<TraceNode> nodes(Path file) {
        return rows(file, row -> new TraceNode(row.text("sn"), row.number("cpu_milli"), row.number("memory_mib"),
                (int) row.number("gpu"), row.text("model")));
    }

    public static List<TracePod> pods(Path file) {
        return rows(file, TraceFiles::pod);
    }

    /** The pod list with each pod's {@code creation_time} and {@code deletion_time}. */
    public static List<TraceArrival> arrivals(Path file) {
        return rows(file, row -> new TraceArrival(pod(row), row.number("creation_time"), row.number("deletion_time")));
    }

    private static TracePod pod(Row row) {
        String spec = row.text("gpu_spec");
        Set<String> models = spec.isBlank() ? Set.of()
                : Arrays.stream(spec.split("\\|")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        return new TracePod(row.text("name"), row.number("cpu_milli"), row.number("memory_mib"),
                (int) row.number("num_gpu"), (int) row.number("gpu_milli"), models);
    }

    private interface RowMapper<T> {
        T map(Row row);
    }

    private record Row(Map<String, Integer> columns, String[] cells, Path file, int line) {
        String text(String column) {
            Integer i = columns.get(column);
            return i == null || i >= cells.length ? "" : cells[i].trim();
        }

        long number(String column) {
            String text = text(column);
            if (text.isEmpty()) {
                if (!columns.containsKey(column)) {
                    throw new IllegalArgumentException(file + ": no column " + column);
                }
                return 0;
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + " line " + line + ": " + column + " is not a number: " + text);
            }
        }
    }

    private static <T> List<T> rows(Path file, RowMapper<T> mapper) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty");
        }
        Map<String, Integer> columns = new HashMap<>();
        String[] header = lines.get(0).split(",", -1);
        for (int i = 0; i < header.length; i++) {
            columns.put(header[i].trim(), i);
        }
        List<T> out = new ArrayList<>(lines.size());
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                out.add(mapper.map(new Row(columns, lines.get(i).split(",", -1), file, i + 1)));
            }
        }
        return out;
    }
}
