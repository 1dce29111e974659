package io.farget.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.sandbox.ContainerLogFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogStartTest {
    @TempDir
    Path dir;
    private Path live;

    @BeforeEach
    void setUp() throws Exception {
        live = dir.resolve("main.log");
        Files.writeString(ContainerLogFiles.rotated(live, 1), "a\nb\n");
        Files.writeString(ContainerLogFiles.index(ContainerLogFiles.rotated(live, 1)), "1000 0\n2000 2\n");
        Files.writeString(live, "c\nd\ne\n");
        Files.writeString(ContainerLogFiles.index(live), "3000 0\n4000 4\n");
    }

    private String read(List<LogStart.Segment> segments) throws Exception {
        StringBuilder out = new StringBuilder();
        for (LogStart.Segment s : segments) {
            byte[] bytes = Files.readAllBytes(s.file());
            out.append(new String(bytes, (int) s.from(), bytes.length - (int) s.from(), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    @Test
    void everythingOldestFirstByDefault() throws Exception {
        assertThat(read(LogStart.find(live, 0, null))).isEqualTo("a\nb\nc\nd\ne\n");
    }

    @Test
    void tailCountsLinesAcrossRotatedFiles() throws Exception {
        assertThat(read(LogStart.find(live, 2, null))).isEqualTo("d\ne\n");
        assertThat(read(LogStart.find(live, 4, null))).isEqualTo("b\nc\nd\ne\n");
        assertThat(read(LogStart.find(live, 100, null))).isEqualTo("a\nb\nc\nd\ne\n");
    }

    @Test
    void sinceStartsAtTheLastSampleBeforeThatTime() throws Exception {
        assertThat(read(LogStart.find(live, 0, Instant.ofEpochMilli(2500)))).isEqualTo("b\nc\nd\ne\n");
        assertThat(read(LogStart.find(live, 0, Instant.ofEpochMilli(4500)))).isEqualTo("e\n");
        assertThat(read(LogStart.find(live, 1, Instant.ofEpochMilli(500)))).as("the later of both").isEqualTo("e\n");
    }
}
