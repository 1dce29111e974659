package io.farget.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void sequencesGrowAndEpochSurvivesAReopen() throws Exception {
        Path file = dir.resolve("checkpoint.json");
        AgentCheckpoint first = AgentCheckpoint.open(file);
        long a = first.nextReportSeq();
        long b = first.nextReportSeq();
        assertThat(b).isGreaterThan(a).isPositive();
        first.raiseEpoch(7);
        first.raiseEpoch(3);

        AgentCheckpoint second = AgentCheckpoint.open(file);
        assertThat(second.highestEpoch()).isEqualTo(7);
        assertThat(second.nextReportSeq()).isGreaterThan(b);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temp files left behind
        }
    }

    @Test
    void aCrashAnywhereInABlockNeverLetsSequencesGoBackwardsAndABlockCostsOneWrite() throws Exception {
        Path file = dir.resolve("checkpoint.json");
        List<Long> seen = new ArrayList<>();
        long highestBeforeCrash = 0;
        for (int life = 0; life < 3; life++) {
            AgentCheckpoint checkpoint = AgentCheckpoint.open(file); // the earlier life "crashed": never closed
            long first = checkpoint.nextReportSeq();
            assertThat(first).as("first sequence of life %d", life).isGreaterThan(highestBeforeCrash);
            String written = Files.readString(file);
            int uses = life == 1 ? (int) AgentCheckpoint.SEQ_BLOCK + 5 : 1_000; // life 1 crosses into a second block
            long last = first;
            for (int i = 1; i < uses; i++) {
                long next = checkpoint.nextReportSeq();
                assertThat(next).isGreaterThan(last);
                last = next;
            }
            if (life != 1) {
                assertThat(Files.readString(file)).as("no write within a block").isEqualTo(written);
            }
            seen.add(first);
            highestBeforeCrash = last;
        }
        assertThat(seen).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void anUpgradedAgentContinuesAboveThePerPodSequencesOfTheOldFormat() throws Exception {
        Path file = dir.resolve("checkpoint.json");
        Files.writeString(file, """
                {"highestEpoch":4,"pods":{"a":{"attempt":1,"reportSeq":17,"updatedAtMillis":1},
                                          "b":{"attempt":2,"reportSeq":3,"updatedAtMillis":1}}}""");

        AgentCheckpoint checkpoint = AgentCheckpoint.open(file);

        assertThat(checkpoint.highestEpoch()).isEqualTo(4);
        assertThat(checkpoint.nextReportSeq()).isGreaterThan(17);
    }

    @Test
    void aCorruptCheckpointStartsEmpty() throws Exception {
        Path file = dir.resolve("checkpoint.json");
        Files.writeString(file, "{not json");

        assertThat(AgentCheckpoint.open(file).highestEpoch()).isZero();
    }

    @Test
    void nodeIdIsCreatedOnceAndKept() {
        String id = NodeIdentity.loadOrCreate(dir);
        assertThat(id).matches("node-[a-z2-7]{8}");
        assertThat(NodeIdentity.loadOrCreate(dir)).isEqualTo(id);
    }
}
