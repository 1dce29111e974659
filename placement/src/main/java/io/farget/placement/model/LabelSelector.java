package io.farget.placement.model;

import java.util.Map;
import java.util.Set;

/** One requirement on a set of labels, as in Kubernetes: {@code key In (a,b)}, {@code NotIn}, {@code Exists}. */
public record LabelSelector(String key, Operator operator, Set<String> values) {
    public enum Operator { IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    public LabelSelector {
        values = Set.copyOf(values);
    }

    public static LabelSelector in(String key, String... values) {
        return new LabelSelector(key, Operator.IN, Set.of(values));
    }

    public static LabelSelector notIn(String key, String... values) {
        return new LabelSelector(key, Operator.NOT_IN, Set.of(values));
    }

    public static LabelSelector exists(String key) {
        return new LabelSelector(key, Operator.EXISTS, Set.of());
    }

    public boolean matches(Map<String, String> labels) {
        String value = labels.get(key);
        return switch (operator) {
            case IN -> value != null && values.contains(value);
            case NOT_IN -> value == null || !values.contains(value);
            case EXISTS -> value != null;
            case DOES_NOT_EXIST -> value == null;
        };
    }
}
