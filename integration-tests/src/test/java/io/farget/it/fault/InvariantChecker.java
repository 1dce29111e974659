package io.farget.it.fault;

import io.farget.it.fault.RunJournal.Run;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The invariants of issue 5, checked against the schedulers' view and the hosts' truth (witness
 * journals). Pure: it takes what was observed and returns a {@link Verdict}. All harness pods are
 * restart-always, so the desired state of an accepted pod is "running, exactly once".
 */
final class InvariantChecker {
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "KILLED", "LOST");

    /** A pod as {@code farget ps} shows it. */
    record PodView(String id, String name, String phase, String node, int attempt) {}

    /** A stretch of time during which a host could not take part: its link cut, or no agent process. */
    record Window(long start, long end) {}

    /**
     * @param accepted            pods whose creation a replica confirmed
     * @param lost                accepted pods the schedulers do not know, gave up (terminal phase) or do not run anywhere
     * @param duplicated          accepted submissions that exist twice, or run on two hosts at once now
     * @param unsettled           accepted pods not (yet) in the desired state, with why
     * @param maxDoubleRunMillis  longest time one pod ran on two hosts at once
     * @param maxDoubleRunReachableMillis the same, counting only while both hosts were reachable
     * @param doubleRunViolations pods whose reachable double run outlasted the LOST timeout
     */
    record Verdict(int accepted, List<String> lost, List<String> duplicated, List<String> unsettled,
                   long maxDoubleRunMillis, long maxDoubleRunReachableMillis, List<String> doubleRunViolations) {
        boolean settled() {
            return unsettled.isEmpty() && duplicated.isEmpty();
        }

        boolean clean() {
            return settled() && lost.isEmpty() && doubleRunViolations.isEmpty();
        }

        String summary() {
            return "accepted %d, lost %d, duplicated %d, unsettled %d, max double-run %d ms (%d ms while reachable), violations %d"
                    .formatted(accepted, lost.size(), duplicated.size(), unsettled.size(), maxDoubleRunMillis,
                            maxDoubleRunReachableMillis, doubleRunViolations.size());
        }
    }

    private final long lostAfterMillis;

    InvariantChecker(long lostAfterMillis) {
        this.lostAfterMillis = lostAfterMillis;
    }

    /**
     * @param accepted    pod id to submission name, for every confirmed creation
     * @param pods        what the schedulers list now
     * @param runs        every run on every host so far
     * @param unreachable per host, when it could not be reached (cut or without agent)
     * @param now         when the observation was made (open runs and windows end here)
     */
    Verdict check(Map<String, String> accepted, List<PodView> pods, List<Run> runs, Map<String, List<Window>> unreachable, long now) {
        Map<String, PodView> byId = pods.stream().collect(Collectors.toMap(PodView::id, p -> p, (a, b) -> a));
        Map<String, List<PodView>> byName = pods.stream().collect(Collectors.groupingBy(PodView::name));
        Map<String, Set<String>> runningOn = new HashMap<>();
        runs.stream().filter(Run::open).forEach(r -> runningOn.computeIfAbsent(r.podId(), k -> new TreeSet<>()).add(r.host()));

        List<String> lost = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        List<String> unsettled = new ArrayList<>();
        for (Map.Entry<String, String> entry : accepted.entrySet()) {
            String id = entry.getKey();
            PodView pod = byId.get(id);
            Set<String> hosts = runningOn.getOrDefault(id, Set.of());
            if (byName.getOrDefault(entry.getValue(), List.of()).size() > 1) {
                duplicated.add(entry.getValue() + ": " + byName.get(entry.getValue()).size() + " pods for one submission");
            }
            if (hosts.size() > 1) {
                duplicated.add(id + " runs on " + hosts);
            }
            if (pod == null) {
                // a replica's read view may lag behind (reads are served from its last known state): wait for it
                unsettled.add(id + ": unknown to the schedulers");
                lost.add(id + ": unknown to the schedulers");
            } else if (TERMINAL.contains(pod.phase())) {
                lost.add(id + ": " + pod.phase());
            } else if (!pod.phase().equals("RUNNING")) {
                unsettled.add(id + ": " + pod.phase());
                if (hosts.isEmpty()) {
                    lost.add(id + ": " + pod.phase() + " and running nowhere");
                }
            } else if (!hosts.equals(Set.of(pod.node()))) {
                unsettled.add(id + ": RUNNING on " + pod.node() + " per the schedulers, on " + hosts + " per the hosts");
                if (hosts.isEmpty()) {
                    lost.add(id + ": running nowhere");
                }
            }
        }

        long maxDouble = 0;
        long maxReachable = 0;
        List<String> violations = new ArrayList<>();
        Map<String, List<Run>> runsByPod = runs.stream().collect(Collectors.groupingBy(Run::podId));
        for (List<Run> podRuns : runsByPod.values()) {
            for (int i = 0; i < podRuns.size(); i++) {
                for (int j = i + 1; j < podRuns.size(); j++) {
                    Run a = podRuns.get(i);
                    Run b = podRuns.get(j);
                    if (a.host().equals(b.host()) || a.overlapMillis(b) == 0) {
                        continue;
                    }
                    long start = Math.max(a.start(), b.start());
                    long end = Math.min(Math.min(a.end(), b.end()), now);
                    long total = Math.max(0, end - start);
                    List<Window> away = new ArrayList<>(unreachable.getOrDefault(a.host(), List.of()));
                    away.addAll(unreachable.getOrDefault(b.host(), List.of()));
                    long reachable = total - covered(start, end, away, now);
                    maxDouble = Math.max(maxDouble, total);
                    maxReachable = Math.max(maxReachable, reachable);
                    if (reachable > lostAfterMillis) {
                        violations.add(a.podId() + " ran on " + a.host() + " and " + b.host() + " for " + reachable + " ms while both were reachable");
                    }
                }
            }
        }
        return new Verdict(accepted.size(), lost, duplicated, unsettled, maxDouble, maxReachable, violations);
    }

    /** How much of [start, end) the windows cover (open windows end at {@code now}). */
    static long covered(long start, long end, List<Window> windows, long now) {
        List<Window> sorted = windows.stream()
                .map(w -> new Window(Math.max(start, w.start()), Math.min(end, Math.min(w.end(), now))))
                .filter(w -> w.end() > w.start())
                .sorted(Comparator.comparingLong(Window::start)).toList();
        long sum = 0;
        long reach = start;
        for (Window w : sorted) {
            long from = Math.max(reach, w.start());
            if (w.end() > from) {
                sum += w.end() - from;
                reach = w.end();
            }
        }
        return sum;
    }
}
