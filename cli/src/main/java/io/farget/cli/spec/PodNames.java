package io.farget.cli.spec;

import java.util.Locale;

/** Default pod names for {@code farget run}: the command's basename made into a DNS label. */
public final class PodNames {
    public static final String FALLBACK = "pod";
    private static final int MAX_LENGTH = 63;

    private PodNames() {}

    /** {@code /usr/bin/python3.11} -> {@code python3-11}; {@code sh} -> {@code sh}; nothing usable -> {@code pod}. */
    public static String fromCommand(String command) {
        if (command == null) {
            return FALLBACK;
        }
        String base = command.substring(command.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        String label = base.replaceAll("[^a-z0-9]+", "-");
        if (label.length() > MAX_LENGTH) {
            label = label.substring(0, MAX_LENGTH);
        }
        label = label.replaceAll("^-+|-+$", "");
        return label.isEmpty() ? FALLBACK : label;
    }
}
