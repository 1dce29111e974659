package io.farget.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCheckpointTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void sequencesAndEpochSurviveAReopen() throws Exception {
        Path file = dir.resolve("checkpoint.json");
        AgentCheckpoint first = AgentCheckpoint.open(file, clock);
        assertThat(first.nextReportSeq("a", 1)).isEqualTo(1);
        assertThat(first.nextReportSeq("a", 1)).isEqualTo(2);
        first.raiseEpoch(7);
        first.raiseEpoch(3);

        AgentCheckpoint second = AgentCheckpoint.open(file, clock);
        assertThat(second.highestEpoch()).isEqualTo(7);
        assertThat(second.nextReportSeq("a", 2)).isEqualTo(3);
        assertThat(second.nextReportSeq("b", 1)).isEqualTo(1);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temp files left behind
        }
    }

    @Test
    void aCorruptCheckpointStartsEmpty() throws Exception {
        Path file = dir.resolve("checkpoint.json");
        Files.writeString(file, "{not json");

        assertThat(AgentCheckpoint.open(file, clock).highestEpoch()).isZero();
    }

    @Test
    void forgetsOldEntriesOfPodsNoLongerHeld() {
        AgentCheckpoint checkpoint = AgentCheckpoint.open(dir.resolve("c.json"), clock);
        checkpoint.nextReportSeq("gone", 1);
        checkpoint.nextReportSeq("held", 1);

        checkpoint.forgetUnless("held"::equals, clock.instant().plusSeconds(1));

        assertThat(checkpoint.snapshot().pods()).containsOnlyKeys("held");
    }

    @Test
    void nodeIdIsCreatedOnceAndKept() {
        String id = NodeIdentity.loadOrCreate(dir);
        assertThat(id).matches("node-[a-z2-7]{8}");
        assertThat(NodeIdentity.loadOrCreate(dir)).isEqualTo(id);
    }
}
