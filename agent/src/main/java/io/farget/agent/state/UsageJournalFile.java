package io.farget.agent.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The usage journal's file format: JSON with protobuf messages in (standard, padded) base64, so the
 * agent needs no second schema. Written by streaming each message's encoding (made once, see {@link Encoded}),
 * so a write builds no string or map beyond the output itself.
 */
final class UsageJournalFile {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private UsageJournalFile() {}

    /** What a journal holds, as written: each message encoded. */
    record Contents(List<Encoded<?>> pending, Map<String, Encoded<?>> last, Map<String, Encoded<?>> finals,
                    Map<String, Long> touchedMillis) {}

    /** The file as read: the messages still in base64. Any field may be missing (null). */
    record Stored(List<String> pending, Map<String, String> last, Map<String, String> finals, Map<String, Long> touched) {}

    static Stored read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Stored.class);
    }

    static byte[] write(Contents contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 256 * contents.touchedMillis().size());
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("pending");
            for (Encoded<?> sample : contents.pending()) {
                json.writeBinary(sample.bytes()); // Jackson's default base64 is java.util.Base64's basic encoding
            }
            json.writeEndArray();
            writeMessages(json, "last", contents.last());
            writeMessages(json, "finals", contents.finals());
            json.writeObjectFieldStart("touched");
            for (Map.Entry<String, Long> e : contents.touchedMillis().entrySet()) {
                json.writeNumberField(e.getKey(), e.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return out.toByteArray();
    }

    private static void writeMessages(JsonGenerator json, String field, Map<String, Encoded<?>> byPod) throws IOException {
        json.writeObjectFieldStart(field);
        for (Map.Entry<String, Encoded<?>> e : byPod.entrySet()) {
            json.writeFieldName(e.getKey());
            json.writeBinary(e.getValue().bytes());
        }
        json.writeEndObject();
    }
}
