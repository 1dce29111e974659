package io.farget.placement.engine;

import io.farget.placement.model.PendingPod;
import java.util.Arrays;

/**
 * Every host that could take pods of one shape (same requests and GPU models), ranked by score in an
 * indexed binary heap: best score first, then the smaller seeded tiebreak, then the lower index, so
 * the order is total and the winner is exactly the one a scan of every host would pick.
 *
 * <p>When a host changes, only that host is re-scored and moved ({@link #refresh}): O(log hosts).
 * Finding a pod's host walks the heap best-first and stops at the first host the pod's own rules
 * (architecture, labels, spread, anti-affinity) allow; usually the root.
 */
final class ScoreBoard {
    private final PendingPod shape;
    private final Host[] hosts;
    private final long[] tiebreaks;
    private final double[] score;
    private final int[] heap;
    private final int[] position; // host index -> heap slot, -1 when absent
    private int size;
    /** How much of the pass's change log this board has taken in (kept by {@link ScoreBoards}). */
    int seen;

    /** A board of every host that fits {@code shape} now; hosts are rated once per class of hosts alike. */
    ScoreBoard(PendingPod shape, Host[] hosts, long[] tiebreaks, HostRater rater, HostClasses classes) {
        this.shape = shape;
        this.hosts = hosts;
        this.tiebreaks = tiebreaks;
        this.score = new double[hosts.length];
        this.heap = new int[hosts.length];
        this.position = new int[hosts.length];
        Arrays.fill(position, -1);
        // Per class: whether its hosts fit and their score, worked out at its first host.
        byte[] fits = new byte[classes.classes()]; // 0 unknown, 1 fits, 2 does not
        double[] shared = new double[classes.classes()];
        for (Host host : hosts) {
            int c = classes.classOf(host);
            if (fits[c] == 0) {
                boolean fit = Feasibility.shapeFits(host, shape);
                fits[c] = (byte) (fit ? 1 : 2);
                if (fit) {
                    shared[c] = rater.rate(host, shape);
                }
            }
            if (fits[c] == 2) {
                continue;
            }
            score[host.index] = shared[c];
            position[host.index] = size;
            heap[size++] = host.index;
        }
        for (int slot = size / 2 - 1; slot >= 0; slot--) {
            siftDown(slot);
        }
    }

    int size() {
        return size;
    }

    /** Re-ranks {@code host} after what is free on it changed: in, out or moved. */
    void refresh(Host host, HostRater rater) {
        int i = host.index;
        boolean fits = Feasibility.shapeFits(host, shape);
        int slot = position[i];
        if (!fits) {
            if (slot >= 0) {
                removeAt(slot);
            }
            return;
        }
        double before = score[i];
        score[i] = rater.rate(host, shape);
        if (slot < 0) {
            position[i] = size;
            heap[size] = i;
            siftUp(size++);
        } else if (score[i] > before) {
            siftUp(slot);
        } else if (score[i] < before) {
            siftDown(slot);
        }
    }

    /**
     * The best host that {@code pod} (of this board's shape) may use, or null. {@code frontier} is
     * scratch space of at least {@link #size()} + 1 slots.
     */
    Host best(PendingPod pod, int[] frontier) {
        if (size == 0) {
            return null;
        }
        if (Feasibility.podAllows(hosts[heap[0]], pod)) {
            return hosts[heap[0]];
        }
        // Best-first walk of the heap: a small heap of heap slots whose parents were rejected.
        int open = 0;
        open = push(frontier, open, 1);
        open = push(frontier, open, 2);
        while (open > 0) {
            int slot = frontier[0];
            frontier[0] = frontier[--open];
            siftFrontier(frontier, open, 0);
            Host host = hosts[heap[slot]];
            if (Feasibility.podAllows(host, pod)) {
                return host;
            }
            open = push(frontier, open, 2 * slot + 1);
            open = push(frontier, open, 2 * slot + 2);
        }
        return null;
    }

    private int push(int[] frontier, int open, int slot) {
        if (slot >= size) {
            return open;
        }
        int at = open;
        frontier[at] = slot;
        while (at > 0) {
            int parent = (at - 1) / 2;
            if (!better(heap[frontier[at]], heap[frontier[parent]])) {
                break;
            }
            swap(frontier, at, parent);
            at = parent;
        }
        return open + 1;
    }

    private void siftFrontier(int[] frontier, int open, int at) {
        while (true) {
            int left = 2 * at + 1;
            if (left >= open) {
                return;
            }
            int child = left + 1 < open && better(heap[frontier[left + 1]], heap[frontier[left]]) ? left + 1 : left;
            if (!better(heap[frontier[child]], heap[frontier[at]])) {
                return;
            }
            swap(frontier, at, child);
            at = child;
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** Whether host {@code a} ranks before host {@code b}. */
    private boolean better(int a, int b) {
        if (score[a] != score[b]) {
            return score[a] > score[b];
        }
        if (tiebreaks[a] != tiebreaks[b]) {
            return tiebreaks[a] < tiebreaks[b];
        }
        return a < b;
    }

    private void removeAt(int slot) {
        int gone = heap[slot];
        position[gone] = -1;
        int last = heap[--size];
        if (slot == size) {
            return;
        }
        heap[slot] = last;
        position[last] = slot;
        siftUp(slot);
        siftDown(position[last]);
    }

    private void siftUp(int slot) {
        int host = heap[slot];
        while (slot > 0) {
            int parent = (slot - 1) / 2;
            if (!better(host, heap[parent])) {
                break;
            }
            heap[slot] = heap[parent];
            position[heap[slot]] = slot;
            slot = parent;
        }
        heap[slot] = host;
        position[host] = slot;
    }

    private void siftDown(int slot) {
        int host = heap[slot];
        while (true) {
            int left = 2 * slot + 1;
            if (left >= size) {
                break;
            }
            int child = left + 1 < size && better(heap[left + 1], heap[left]) ? left + 1 : left;
            if (!better(heap[child], host)) {
                break;
            }
            heap[slot] = heap[child];
            position[heap[slot]] = slot;
            slot = child;
        }
        heap[slot] = host;
        position[host] = slot;
    }
}
