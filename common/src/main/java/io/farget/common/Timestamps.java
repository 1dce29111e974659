package io.farget.common;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Conversions between {@link Instant} and protobuf {@link Timestamp}; an unset timestamp is null. */
public final class Timestamps {
    private Timestamps() {}

    public static Timestamp of(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** The instant, or null for an unset (all-zero) timestamp. */
    public static Instant toInstant(Timestamp ts) {
        if (ts == null || (ts.getSeconds() == 0 && ts.getNanos() == 0)) {
            return null;
        }
        return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
    }

    public static boolean isSet(Timestamp ts) {
        return ts != null && (ts.getSeconds() != 0 || ts.getNanos() != 0);
    }
}
