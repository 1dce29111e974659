package io.farget.sandbox.runc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds, in runc's JSON log ({@code --log-format json}), the one line that says why it failed. */
public final class RuncErrorLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RuncErrorLog() {}

    /** The last error message in the log's lines, without runc's repetitive prefixes. */
    public static Optional<String> reason(List<String> lines) {
        String reason = null;
        for (String line : lines) {
            try {
                JsonNode entry = JSON.readTree(line);
                if (entry != null && "error".equals(entry.path("level").asText()) && entry.hasNonNull("msg")) {
                    reason = entry.get("msg").asText();
                }
            } catch (IOException e) {
                // not JSON (runc writes a few plain lines in some failures): ignore it
            }
        }
        return Optional.ofNullable(reason).map(RuncErrorLog::shorten);
    }

    public static Optional<String> reason(Path logFile) {
        try {
            return reason(Files.readAllLines(logFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** runc wraps the real cause in layers ("runc run failed: unable to start container process: ..."). */
    static String shorten(String message) {
        String oneLine = message.replace('\n', ' ').trim();
        String prefix = "runc run failed: ";
        return oneLine.startsWith(prefix) ? oneLine.substring(prefix.length()) : oneLine;
    }
}
