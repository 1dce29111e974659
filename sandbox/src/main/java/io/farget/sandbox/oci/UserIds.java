package io.farget.sandbox.oci;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The numeric user and group a container's process runs as. */
public record UserIds(int uid, int gid) {
    public static final UserIds ROOT = new UserIds(0, 0);
    /** "nobody:nogroup" on Debian and most images: what runAsNonRoot uses when nothing else is named. */
    public static final UserIds NOBODY = new UserIds(65534, 65534);
    private static final Pattern NUMERIC = Pattern.compile("^(\\d{1,10})(?::(\\d{1,10}))?$");

    public UserIds {
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException("uid and gid must not be negative");
        }
    }

    /**
     * "uid" or "uid:gid" in digits; a missing gid is the uid (never the root group by accident).
     * Empty for anything else (names need the image's /etc/passwd).
     */
    public static Optional<UserIds> parseNumeric(String text) {
        Matcher m = NUMERIC.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            int uid = Integer.parseInt(m.group(1));
            int gid = m.group(2) == null ? uid : Integer.parseInt(m.group(2));
            return Optional.of(new UserIds(uid, gid));
        } catch (NumberFormatException e) {
            return Optional.empty(); // above 2^31
        }
    }
}
