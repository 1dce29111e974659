package io.farget.cli.output;

import java.time.Duration;
import java.time.Instant;

/** Ages in kubectl's short style: 45s, 5m30s, 3h, 2d4h. Precise when young, coarse when old. */
public final class Ages {
    private Ages() {}

    public static String since(Instant then, Instant now) {
        return then == null ? null : of(Duration.between(then, now));
    }

    public static String of(Duration age) {
        long seconds = Math.max(0, age.getSeconds());
        long minutes = seconds / 60;
        long hours = minutes / 60;
        long days = hours / 24;
        if (seconds < 120) {
            return seconds + "s";
        }
        if (minutes < 10) {
            return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
        }
        if (hours < 3) {
            return minutes + "m";
        }
        if (hours < 8) {
            return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
        }
        if (hours < 48) {
            return hours + "h";
        }
        if (days < 8) {
            return hours % 24 == 0 ? days + "d" : days + "d" + hours % 24 + "h";
        }
        if (days < 365 * 2) {
            return days + "d";
        }
        return days / 365 + "y";
    }
}
