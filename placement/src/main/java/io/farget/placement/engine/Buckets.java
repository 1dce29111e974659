package io.farget.placement.engine;

import java.util.Arrays;

/**
 * Hosts grouped by a small integer key (a coarse measure of what is free), so a search can start at
 * the tightest hosts that might fit and stop early. Moving a host is O(1): swap-remove from one
 * bucket, append to another.
 */
final class Buckets {
    private final int which;
    private final Host[] byIndex;
    private int[][] members = new int[0][];
    private int[] sizes = new int[0];

    /** {@code which} names the slot of {@link Host#bucket} this index owns. */
    Buckets(int which, Host[] byIndex) {
        this.which = which;
        this.byIndex = byIndex;
    }

    int bucketCount() {
        return sizes.length;
    }

    int size(int bucket) {
        return sizes[bucket];
    }

    Host member(int bucket, int i) {
        return byIndex[members[bucket][i]];
    }

    void place(Host host, int key) {
        int current = host.bucket[which];
        if (current == key) {
            return;
        }
        if (current >= 0) {
            remove(host, current);
        }
        grow(key);
        int[] list = members[key];
        if (sizes[key] == list.length) {
            list = members[key] = Arrays.copyOf(list, Math.max(4, list.length * 2));
        }
        host.slot[which] = sizes[key];
        list[sizes[key]++] = host.index;
        host.bucket[which] = key;
    }

    private void remove(Host host, int bucket) {
        int[] list = members[bucket];
        int last = --sizes[bucket];
        int slot = host.slot[which];
        int moved = list[last];
        list[slot] = moved;
        byIndex[moved].slot[which] = slot;
        host.bucket[which] = -1;
    }

    private void grow(int key) {
        if (key >= sizes.length) {
            int n = Math.max(key + 1, sizes.length * 2);
            int old = sizes.length;
            sizes = Arrays.copyOf(sizes, n);
            members = Arrays.copyOf(members, n);
            for (int i = old; i < n; i++) {
                members[i] = new int[0];
            }
        }
    }
}
