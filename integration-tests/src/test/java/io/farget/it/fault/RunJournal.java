package io.farget.it.fault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a host's witness journal ({@link WitnessRuntime}) into the intervals during which each pod
 * ran there. Lines are {@code MILLIS EVENT [POD [ATTEMPT]]}. {@link #DIED} is written by the harness
 * after it killed the agent: a fake runtime's pods die with their agent process, runc pods do not
 * (the next agent adopts them).
 */
final class RunJournal {
    static final String BOOT = "BOOT";
    static final String START = "START";
    static final String ADOPT = "ADOPT";
    static final String EXIT = "EXIT";
    static final String REMOVE = "REMOVE";
    static final String DIED = "DIED";

    /** One stretch of a pod running on a host; {@code end} is {@link Long#MAX_VALUE} while it still runs. */
    record Run(String host, String podId, int attempt, long start, long end) {
        boolean open() {
            return end == Long.MAX_VALUE;
        }

        long overlapMillis(Run other) {
            return Math.max(0, Math.min(end, other.end) - Math.max(start, other.start));
        }
    }

    private RunJournal() {}

    static List<Run> parse(String host, List<String> lines) {
        List<Run> runs = new ArrayList<>();
        Map<String, Run> open = new LinkedHashMap<>();
        String runtime = "fake";
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2) {
                continue; // a torn last line of a killed process
            }
            long at = Long.parseLong(f[0]);
            switch (f[1]) {
                case BOOT -> runtime = f.length > 2 ? f[2] : "fake";
                case START, ADOPT -> {
                    if (f.length > 3) {
                        open.putIfAbsent(f[2], new Run(host, f[2], Integer.parseInt(f[3]), at, Long.MAX_VALUE));
                    }
                }
                case EXIT, REMOVE -> {
                    Run run = f.length > 2 ? open.remove(f[2]) : null;
                    if (run != null) {
                        runs.add(new Run(host, run.podId(), run.attempt(), run.start(), at));
                    }
                }
                case DIED -> {
                    if (!runtime.equals("runc")) {
                        open.values().forEach(run -> runs.add(new Run(host, run.podId(), run.attempt(), run.start(), at)));
                        open.clear();
                    }
                }
                default -> { }
            }
        }
        runs.addAll(open.values());
        return runs;
    }
}
