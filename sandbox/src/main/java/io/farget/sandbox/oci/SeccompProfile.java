package io.farget.sandbox.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The default seccomp profile (resource {@code seccomp-default.json}): everything allowed but the
 * system calls that reach past a container, which fail with EPERM. Loaded once; callers get copies.
 */
public final class SeccompProfile {
    static final String RESOURCE = "seccomp-default.json";
    private static final ObjectNode DEFAULT = load();

    private SeccompProfile() {}

    /** The profile as the {@code linux.seccomp} object of an OCI spec (a fresh copy). */
    public static ObjectNode defaultProfile() {
        return DEFAULT.deepCopy();
    }

    private static ObjectNode load() {
        try (InputStream in = SeccompProfile.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the build");
            }
            ObjectNode profile = (ObjectNode) new ObjectMapper().readTree(in);
            profile.remove("comment");
            return profile;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
