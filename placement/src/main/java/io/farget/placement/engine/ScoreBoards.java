package io.farget.placement.engine;

import io.farget.placement.model.Amounts;
import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.PendingPod;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@link ScoreBoard}s of a pass (or of a {@link Placer}'s passes, while its scorers stay the
 * same), one per pod shape met, kept true as hosts change. Exact: the host
 * chosen is the one scoring every host would choose, but a decision costs O(log hosts) plus one
 * re-score per host that changed since the board was last used. Changes are logged and a board
 * catches up only when a pod of its shape comes: a host that changed five times is re-scored once,
 * and boards of shapes that never come again (say, ones no host can take any more) cost nothing.
 * A new board rates one host per {@link HostClasses class} of hosts alike, not every host.
 * Used when every scorer depends only on host state and pod requests ({@link Scorer#stateOnly()});
 * boards of shapes not seen for a while are dropped beyond {@value #MAX_BOARDS}, and the log is
 * compacted to each host's latest change when it fills, bounding memory however long it lives.
 */
final class ScoreBoards implements ClusterModel.Listener {
    static final int MAX_BOARDS = 256;

    private record Shape(Amounts amounts, GpuRequest gpu, Set<String> gpuModels) {}

    private final Host[] hosts;
    private final long[] tiebreaks;
    private final HostRater rater;
    private final Map<Shape, ScoreBoard> boards = new LinkedHashMap<>(16, 0.75f, true); // access order: least recent first
    private final int[] frontier;
    private int[] log; // host indexes in the order they changed
    private int logSize;
    private final int[] lastLogged; // per host: its latest position in the log
    private final HostClasses classes;

    ScoreBoards(Host[] hosts, HostRater rater) {
        this(hosts, rater, new HostClasses(hosts));
    }

    /** Boards over host classes already drawn (and kept true) by boards before them. */
    ScoreBoards(Host[] hosts, HostRater rater, HostClasses classes) {
        this.hosts = hosts;
        this.rater = rater;
        this.tiebreaks = new long[hosts.length];
        for (Host host : hosts) {
            tiebreaks[host.index] = host.tiebreak();
        }
        this.frontier = new int[hosts.length + 2];
        this.lastLogged = new int[hosts.length];
        this.log = new int[Math.max(16, 2 * hosts.length)];
        this.classes = classes;
    }

    /** The host the scorers rank first among those that may take {@code pod} now, or null. */
    Host best(PendingPod pod) {
        Shape shape = new Shape(pod.amounts(), pod.gpu(), pod.gpu().none() ? Set.of() : pod.gpuModels());
        ScoreBoard board = boards.get(shape);
        if (board == null) {
            if (boards.size() >= MAX_BOARDS) {
                Iterator<ScoreBoard> eldest = boards.values().iterator();
                eldest.next();
                eldest.remove();
            }
            board = new ScoreBoard(pod, hosts, tiebreaks, rater, classes);
            board.seen = logSize;
            boards.put(shape, board);
        } else {
            catchUp(board);
        }
        return board.best(pod, frontier);
    }

    private void catchUp(ScoreBoard board) {
        for (int i = board.seen; i < logSize; i++) {
            int host = log[i];
            if (lastLogged[host] == i) { // its last change: earlier entries for the same host add nothing
                board.refresh(hosts[host], rater);
            }
        }
        board.seen = logSize;
    }

    @Override
    public void changed(Host host) {
        if (logSize == log.length) {
            compactLog();
        }
        classes.changed(host);
        lastLogged[host.index] = logSize;
        log[logSize++] = host.index;
    }

    /**
     * Drops every log entry but each host's latest (the only one a board catching up acts on),
     * moving each board's place to match; grows the log only when that leaves it over half full.
     * Amortized O(1) per change.
     */
    private void compactLog() {
        int[] keptBefore = new int[logSize + 1]; // per old position: entries kept before it
        int kept = 0;
        for (int i = 0; i < logSize; i++) {
            keptBefore[i] = kept;
            int host = log[i];
            if (lastLogged[host] == i) {
                log[kept] = host;
                lastLogged[host] = kept++;
            }
        }
        keptBefore[logSize] = kept;
        for (ScoreBoard board : boards.values()) {
            board.seen = keptBefore[board.seen];
        }
        logSize = kept;
        if (logSize * 2 > log.length) {
            log = Arrays.copyOf(log, log.length * 2);
        }
    }

    /** The host classes these boards keep true, for boards that come after them. */
    HostClasses classes() {
        return classes;
    }

    /** How many changes the log holds (for tests: it stays bounded). */
    int logSize() {
        return logSize;
    }
}
