package io.farget.sandbox.image;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A container's {@code image:} as skopeo reads it: {@code oci:/path[:tag]} (an OCI layout on this
 * host, for air-gapped machines) or a registry reference ({@code host[:port]/repo[:tag|@digest]}).
 * Registries on loopback addresses are spoken to in plain HTTP; every other one over verified TLS.
 */
public record ImageReference(String text, String source, boolean plainHttp) {
    private static final Pattern LOOPBACK_HOST = Pattern.compile("^(localhost|127(\\.\\d{1,3}){3}|\\[::1\\])(:\\d+)?$");

    public static ImageReference parse(String text) throws ImageException {
        String ref = text == null ? "" : text.trim();
        if (ref.isEmpty()) {
            throw new ImageException("the image reference is empty");
        }
        if (ref.startsWith("oci:")) {
            if (!ref.startsWith("oci:/")) {
                throw new ImageException("'" + ref + "': an oci: reference needs an absolute path (oci:/path[:tag])");
            }
            return new ImageReference(ref, ref, false);
        }
        if (ref.contains("://")) {
            throw new ImageException("'" + ref + "' is not an image reference (write host/repo:tag, without a scheme)");
        }
        int slash = ref.indexOf('/');
        String host = slash > 0 ? ref.substring(0, slash) : "";
        boolean loopback = LOOPBACK_HOST.matcher(host).matches();
        return new ImageReference(ref, "docker://" + ref, loopback);
    }

    /** The tag this reference gets in the shared OCI layout: a hash, since references hold characters tags may not. */
    public String storeTag() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "ref-" + HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
