package io.farget.sandbox.image;

import io.farget.sandbox.oci.UserIds;
import java.nio.file.Path;

/**
 * An image unpacked once into the cache, shared read-only by every pod that uses it.
 *
 * @param digest the manifest digest ("sha256:..."), as skopeo verified it
 * @param user the image's user as numeric ids, or null when the image names none
 */
public record CachedImage(String reference, String digest, Path rootfs, ImageConfig config, UserIds user) {}
