package io.farget.cli.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node of a parsed spec file that knows its path ({@code containers[0].resources}), so every
 * complaint names the field the way the user wrote it.
 */
record SpecNode(JsonNode node, String path) {

    static SpecNode root(JsonNode node) {
        return new SpecNode(node, "");
    }

    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    SpecNode get(String field) {
        return new SpecNode(node.get(field), path.isEmpty() ? field : path + "." + field);
    }

    SpecException problem(String problem) {
        return new SpecException(path, problem);
    }

    /** Rejects, in document order, the first field that is unknown or that Farget cannot carry yet. */
    SpecNode requireFields(Set<String> known, Set<String> notYet) {
        requireMap();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (notYet.contains(name)) {
                throw get(name).problem("not supported yet");
            }
            if (!known.contains(name)) {
                throw get(name).problem("unknown field (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
        return this;
    }

    SpecNode requireMap() {
        if (!node.isObject()) {
            throw problem("must be a map of fields");
        }
        return this;
    }

    boolean isList() {
        return node != null && node.isArray();
    }

    /** The elements of a list; an absent field is an empty list. */
    List<SpecNode> list(String what) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw problem("must be a list of " + what);
        }
        List<SpecNode> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            items.add(new SpecNode(node.get(i), path + "[" + i + "]"));
        }
        return items;
    }

    /** A field's text, or "" when absent. */
    String text(String field) {
        return has(field) ? get(field).scalar() : "";
    }

    /** A scalar's text; numbers keep the digits the user wrote (0.25, not 0.2500000001). */
    String scalar() {
        if (node.isNumber()) {
            return node.decimalValue().toPlainString();
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        throw problem("must be a single value");
    }

    int integer() {
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isTextual() && node.asText().matches("-?[0-9]{1,9}")) {
            return Integer.parseInt(node.asText());
        }
        throw problem("must be a whole number");
    }

    BigDecimal decimal() {
        try {
            return new BigDecimal(scalar());
        } catch (NumberFormatException e) {
            throw problem("must be a number");
        }
    }

    boolean bool() {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        throw problem("must be true or false");
    }

    List<String> strings() {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw problem("must be a list of strings, e.g. [sh, -c, \"echo hi\"]");
        }
        return list("strings").stream().map(SpecNode::scalar).toList();
    }

    Map<String, String> stringMap() {
        if (!node.isObject()) {
            throw problem("must be a map");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            values.put(name, has(name) ? get(name).scalar() : "");
        }
        return values;
    }
}
