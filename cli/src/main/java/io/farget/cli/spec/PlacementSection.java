package io.farget.cli.spec;

import io.farget.proto.v1.LabelSelector;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.SpreadRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The placement fields of a pod spec file:
 * <pre>{@code
 * priority: 100
 * nodeSelector: {zone: a}                 # or a list: [{key: zone, operator: In, values: [a, b]}]
 * gpuModels: [A100-SXM4-80GB, V100M32]
 * spread: {labelKey: app, maxPerHost: 1}
 * antiAffinity: [{key: app, operator: In, values: [db]}]
 * }</pre>
 * Operators are In, NotIn, Exists and DoesNotExist (Kubernetes' spelling, any case).
 */
final class PlacementSection {
    private static final Set<String> SELECTOR_FIELDS = Set.of("key", "operator", "values");

    private PlacementSection() {}

    static void read(SpecNode root, PodSpec.Builder pod) {
        if (root.has("priority")) {
            pod.setPriority(root.get("priority").integer());
        }
        if (root.has("nodeSelector")) {
            pod.addAllNodeSelector(selectors(root.get("nodeSelector")));
        }
        if (root.has("antiAffinity")) {
            pod.addAllAntiAffinity(selectors(root.get("antiAffinity")));
        }
        if (root.has("gpuModels")) {
            pod.addAllGpuModels(root.get("gpuModels").strings());
        }
        if (root.has("spread")) {
            SpecNode spread = root.get("spread").requireMap().requireFields(Set.of("labelKey", "maxPerHost"), Set.of());
            pod.setSpread(SpreadRule.newBuilder().setLabelKey(spread.text("labelKey"))
                    .setMaxPerHost(spread.has("maxPerHost") ? spread.get("maxPerHost").integer() : 1));
        }
    }

    /** A map {key: value} (each an In with one value), or a list of {key, operator, values}. */
    private static List<LabelSelector> selectors(SpecNode node) {
        List<LabelSelector> out = new ArrayList<>();
        if (!node.isList()) {
            for (Map.Entry<String, String> e : node.stringMap().entrySet()) {
                out.add(LabelSelector.newBuilder().setKey(e.getKey()).setOperator(LabelSelector.Operator.OPERATOR_IN)
                        .addValues(e.getValue()).build());
            }
            return out;
        }
        for (SpecNode item : node.list("selectors")) {
            item.requireMap().requireFields(SELECTOR_FIELDS, Set.of());
            LabelSelector.Builder selector = LabelSelector.newBuilder().setKey(item.text("key"))
                    .setOperator(operator(item.has("operator") ? item.get("operator") : null));
            if (item.has("values")) {
                selector.addAllValues(item.get("values").strings());
            }
            out.add(selector.build());
        }
        return out;
    }

    private static LabelSelector.Operator operator(SpecNode node) {
        if (node == null) {
            return LabelSelector.Operator.OPERATOR_IN;
        }
        String text = node.scalar();
        return switch (text.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
            case "in" -> LabelSelector.Operator.OPERATOR_IN;
            case "notin" -> LabelSelector.Operator.OPERATOR_NOT_IN;
            case "exists" -> LabelSelector.Operator.OPERATOR_EXISTS;
            case "doesnotexist" -> LabelSelector.Operator.OPERATOR_DOES_NOT_EXIST;
            default -> throw node.problem("'" + text + "' is not In, NotIn, Exists or DoesNotExist");
        };
    }
}
