package io.farget.sandbox.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the one OCI image layout all images share: which manifest a tag names, and the blobs. */
final class OciLayout {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    OciLayout(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** The manifest digest ("sha256:...") the tag names, if the layout has it. */
    Optional<String> manifestDigest(String tag) throws IOException {
        for (JsonNode m : manifests()) {
            if (tag.equals(m.path("annotations").path(REF_NAME).asText())) {
                return Optional.of(m.path("digest").asText());
            }
        }
        return Optional.empty();
    }

    /** Every tag naming this manifest digest. */
    List<String> tagsOf(String digest) throws IOException {
        List<String> tags = new ArrayList<>();
        for (JsonNode m : manifests()) {
            if (digest.equals(m.path("digest").asText()) && m.path("annotations").has(REF_NAME)) {
                tags.add(m.path("annotations").path(REF_NAME).asText());
            }
        }
        return tags;
    }

    /** The image config blob of a manifest. */
    JsonNode config(String manifestDigest) throws IOException {
        JsonNode manifest = blob(manifestDigest);
        return blob(manifest.path("config").path("digest").asText());
    }

    private JsonNode blob(String digest) throws IOException {
        int colon = digest.indexOf(':');
        if (colon < 0 || digest.indexOf('/') >= 0) {
            throw new IOException("not a digest: '" + digest + "'");
        }
        return JSON.readTree(dir.resolve("blobs").resolve(digest.substring(0, colon)).resolve(digest.substring(colon + 1)).toFile());
    }

    private List<JsonNode> manifests() throws IOException {
        Path index = dir.resolve("index.json");
        if (!Files.exists(index)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(index.toFile()).path("manifests").forEach(out::add);
        return out;
    }
}
