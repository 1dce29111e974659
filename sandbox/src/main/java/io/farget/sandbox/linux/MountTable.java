package io.farget.sandbox.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Mount points as /proc/self/mountinfo lists them. runc mounts inside the container's own mount
 * namespace, so nothing should show under a bundle on the host; this is the safety net that makes
 * deleting a bundle never reach into a host folder still bound below it.
 */
public final class MountTable {
    public static final Path SELF = Path.of("/proc/self/mountinfo");

    private MountTable() {}

    /** Mount points at or below {@code folder}, deepest first (the order to unmount them). */
    public static List<String> mountPointsUnder(String mountinfo, Path folder) {
        String prefix = folder.toAbsolutePath().normalize().toString();
        List<String> found = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length < 5) {
                continue;
            }
            String mountPoint = unescape(fields[4]);
            if (mountPoint.equals(prefix) || mountPoint.startsWith(prefix + "/")) {
                found.add(mountPoint);
            }
        }
        found.sort(Comparator.comparingInt(String::length).reversed());
        return found;
    }

    public static List<String> mountPointsUnder(Path folder) throws IOException {
        return mountPointsUnder(Files.readString(SELF, StandardCharsets.UTF_8), folder);
    }

    /** Detaches every mount at or below {@code folder}; returns those that are still there after. */
    public static List<String> unmountUnder(LibC libc, Path folder) throws IOException {
        for (String mountPoint : mountPointsUnder(folder)) {
            try {
                libc.umount2(mountPoint, LibC.MNT_DETACH);
            } catch (com.sun.jna.LastErrorException e) {
                // reported below if it is still mounted
            }
        }
        return mountPointsUnder(folder);
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes (\040 ...). */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
