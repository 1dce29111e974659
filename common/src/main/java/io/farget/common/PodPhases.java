package io.farget.common;

import io.farget.proto.v1.PodPhase;
import java.util.Locale;

/** Names and classes of {@link PodPhase}s. */
public final class PodPhases {
    private PodPhases() {}

    public static boolean isTerminal(PodPhase phase) {
        return switch (phase) {
            case POD_PHASE_SUCCEEDED, POD_PHASE_FAILED, POD_PHASE_KILLED, POD_PHASE_LOST -> true;
            default -> false;
        };
    }

    /** The name users see: PENDING, RUNNING, ... */
    public static String name(PodPhase phase) {
        return phase.name().startsWith("POD_PHASE_") ? phase.name().substring("POD_PHASE_".length()) : phase.name();
    }

    public static PodPhase parse(String text) {
        return PodPhase.valueOf("POD_PHASE_" + text.trim().toUpperCase(Locale.ROOT));
    }
}
