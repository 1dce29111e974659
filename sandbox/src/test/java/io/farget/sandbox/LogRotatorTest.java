package io.farget.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRotatorTest {
    @TempDir
    Path dir;
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    private void write(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void rotatesPastTheCapKeepingAtMostMaxFilesAndIndexesSizesOverTime() throws Exception {
        Path live = dir.resolve("main.log");
        LogRotator rotator = new LogRotator(new LogLimits(10, 2), clock);
        for (int i = 0; i < 4; i++) {
            write(live, "line-" + i + "-abcdef\n");
            rotator.sample(live);
            now.addAndGet(1000);
        }

        assertThat(ContainerLogFiles.oldestFirst(live)).containsExactly(ContainerLogFiles.rotated(live, 2),
                ContainerLogFiles.rotated(live, 1), live);
        assertThat(Files.readString(ContainerLogFiles.rotated(live, 1))).isEqualTo("line-3-abcdef\n");
        assertThat(Files.readString(ContainerLogFiles.rotated(live, 2))).isEqualTo("line-2-abcdef\n");
        assertThat(Files.size(live)).isZero();
    }

    @Test
    void theIndexMapsATimeToTheOffsetOfWhatCameAfter() throws Exception {
        Path live = dir.resolve("main.log");
        LogRotator rotator = new LogRotator(new LogLimits(1 << 20, 2), clock);
        write(live, "early\n");
        rotator.sample(live);
        now.addAndGet(5000);
        write(live, "late\n");
        rotator.sample(live);

        assertThat(ContainerLogFiles.offsetAt(live, Instant.ofEpochMilli(999_000))).isZero();
        assertThat(ContainerLogFiles.offsetAt(live, Instant.ofEpochMilli(1_002_000))).isEqualTo(6);
        assertThat(ContainerLogFiles.offsetAt(live, Instant.ofEpochMilli(1_009_000))).isEqualTo(11);
    }
}
