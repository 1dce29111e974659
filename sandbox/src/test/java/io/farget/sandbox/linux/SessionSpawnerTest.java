package io.farget.sandbox.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a shim inherits from the agent when started by {@link SessionSpawner}: a session of its own and nothing else. */
class SessionSpawnerTest {
    private final LibC libc = LibC.get();

    @TempDir
    Path dir;

    /** Waits for the child and collects it; returns its exit code. */
    private int awaitExit(int pid) {
        int[] status = new int[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> libc.waitpid(pid, status, LibC.WNOHANG) == pid);
        return WaitStatus.exitCode(status[0]);
    }

    @Test
    void theChildLeadsANewSessionReadsDevNullAndAppendsBothStreamsToTheFile() throws Exception {
        Path out = dir.resolve("out.log");
        Files.writeString(out, "before\n");

        int pid = SessionSpawner.spawn(List.of("/bin/sh", "-c",
                "echo pid=$$; echo sid=$(cut -d' ' -f6 /proc/$$/stat); read line; echo read=$?; echo oops >&2; exit 3"), out);

        assertThat(awaitExit(pid)).isEqualTo(3);
        assertThat(Files.readString(out, StandardCharsets.UTF_8))
                .startsWith("before\n").contains("pid=" + pid, "sid=" + pid, "read=1", "oops");
    }

    @Test
    void theChildInheritsNoDescriptorOfTheJvmNoBlockedAndNoIgnoredStandardSignal() throws Exception {
        Path out = dir.resolve("out.log");
        try (var held = Files.newInputStream(Files.writeString(dir.resolve("held"), "x"))) { // an open descriptor of ours
            int pid = SessionSpawner.spawn(List.of("/bin/sh", "-c", "ls /proc/$$/fd | tr '\\n' ' '; echo; grep -E 'SigBlk|SigIgn' /proc/$$/status"),
                    out);
            assertThat(awaitExit(pid)).isZero();
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines.get(0).trim().split(" ")).as("descriptors of the shell").containsOnly("0", "1", "2");
        assertThat(lines).contains("SigBlk:\t0000000000000000");
        // Signals 1-31 at their defaults; 32 and 33 are glibc's own (sigfillset leaves them out).
        long ignored = lines.stream().filter(l -> l.startsWith("SigIgn:")).mapToLong(l -> Long.parseLong(l.substring(7).trim(), 16))
                .findFirst().orElseThrow();
        assertThat(ignored & 0x7fff_ffffL).as("signals 1-31 ignored").isZero();
    }

    @Test
    void aProgramThatCannotBeStartedIsAnIoErrorThatSaysWhy() {
        assertThatThrownBy(() -> SessionSpawner.spawn(List.of("/no/such/shell"), dir.resolve("out.log")))
                .isInstanceOf(IOException.class).hasMessageContaining("/no/such/shell").hasMessageContaining("no such file");
    }
}
