package io.farget.placement.model;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Why a pod was not placed: how many nodes rejected it for each cause (a node short of both CPU and
 * memory counts under both, as in Kubernetes), and whether waiting could ever help.
 *
 * @param unresolvable true when no node could ever take the pod, even empty: it is bigger than every
 *                     node's capacity, or no node has its architecture, labels or GPU model
 */
public record Explanation(int totalNodes, Map<Rejection, Integer> rejections, boolean unresolvable) {
    public Explanation {
        rejections = rejections.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(rejections));
    }

    public int rejectedFor(Rejection cause) {
        return rejections.getOrDefault(cause, 0);
    }

    /** E.g. "0/3 nodes available: 2 insufficient memory, 1 wrong architecture". */
    public String message() {
        String counts = rejections.entrySet().stream()
                .sorted(Map.Entry.<Rejection, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getValue() + " " + e.getKey().description())
                .collect(Collectors.joining(", "));
        String available = "0/" + totalNodes + " nodes available" + (counts.isEmpty() ? "" : ": " + counts);
        return unresolvable ? "no node could ever fit it: " + available : available;
    }
}
