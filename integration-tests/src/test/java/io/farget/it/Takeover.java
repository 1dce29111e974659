package io.farget.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A takeover as the new leader logged it ("Became leader with epoch N: lock acquired at MILLIS ms
 * (epoch); PHASES; serving after M ms"): when it won the election lock and how long it took to serve.
 */
record Takeover(long acquiredAtMillis, long servingAfterMillis, String phases) {
    private static final Pattern LINE = Pattern.compile(
            "Became leader with epoch \\d+: lock acquired at (\\d+) ms \\(epoch\\); (.*); serving after (\\d+) ms");

    /** The first takeover after {@code sinceMillis} in the replicas' logs; waits for its line to be written. */
    static Takeover find(Path logDir, Collection<LeaderFailoverTest.Replica> replicas, long sinceMillis) {
        return await("the new leader's takeover line").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> replicas.stream()
                        .map(r -> logDir.resolve(r.name + ".log"))
                        .flatMap(log -> read(log).lines())
                        .map(LINE::matcher)
                        .filter(Matcher::find)
                        .map(m -> new Takeover(Long.parseLong(m.group(1)), Long.parseLong(m.group(3)), m.group(2)))
                        .filter(t -> t.acquiredAtMillis >= sinceMillis)
                        .min(Comparator.comparingLong(Takeover::acquiredAtMillis)), Optional::isPresent)
                .orElseThrow();
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
