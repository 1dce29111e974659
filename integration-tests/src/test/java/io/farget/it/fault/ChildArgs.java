package io.farget.it.fault;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@code --key value} arguments of the harness's child mains (fixed, written by the harness itself). */
final class ChildArgs {
    private final Map<String, String> values = new HashMap<>();

    ChildArgs(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --key value pairs, got " + args[i]);
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
    }

    String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return value;
    }

    String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    Duration millis(String key) {
        return Duration.ofMillis(Long.parseLong(get(key)));
    }
}
