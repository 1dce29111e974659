package io.farget.common;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Pod ids: 12 characters of lowercase base32 (60 random bits), short enough to type and to use in
 * runc container ids and cgroup paths, and safe in every file system and ZooKeeper path.
 */
public final class PodIds {
    /** The characters of a generated id (lower-case base32: no look-alikes such as 0/o and 1/l). */
    public static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final Pattern VALID = Pattern.compile("^[a-z2-7]{12}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private PodIds() {}

    public static String newId() {
        char[] id = new char[12];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new String(id);
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
