package io.farget.sandbox;

import static io.farget.sandbox.RuncFixture.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.farget.proto.v1.PodSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands on a real pseudo-terminal in a running runc container: its name, its size and resizes, exit codes, hang-up. */
@Tag("runc")
class TerminalExecTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path data;
    private RuncFixture f;
    private String podId;

    @BeforeEach
    void setUp() throws SandboxException {
        f = new RuncFixture(data, c -> c);
        podId = f.start(PodSpec.newBuilder().setName("tty").addContainers(container("main", "sleep", "60")).build());
    }

    @AfterEach
    void tearDown() throws IOException {
        f.close();
    }

    /** Reads the terminal on its own thread until it ends; the text so far is always at hand. */
    private static final class Screen {
        private final StringBuffer text = new StringBuffer();
        private final Thread reader;

        Screen(InputStream terminal) {
            reader = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try (terminal) {
                    int n;
                    while ((n = terminal.read(buffer)) > 0) {
                        text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    text.append("\n[read failed: ").append(e.getMessage()).append("]");
                }
            }, "test-terminal-reader");
            reader.setDaemon(true);
            reader.start();
        }

        String text() {
            return text.toString();
        }

        boolean ended() throws InterruptedException {
            reader.join(WAIT.toMillis());
            return !reader.isAlive();
        }
    }

    private static void type(Process process, String keys) throws IOException {
        process.getOutputStream().write(keys.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    @Test
    void aShellGetsATerminalOfTheRequestedSizeFollowsResizesAndReturnsItsExitCode() throws Exception {
        TerminalProcess shell = f.runtime.execOnTerminal(podId, "", List.of("sh"), new WindowSize(30, 100));
        Screen screen = new Screen(shell.getInputStream());

        type(shell, "tty; stty size\n");
        await().atMost(WAIT).untilAsserted(() -> assertThat(screen.text()).containsPattern("/dev/pts/\\d+").contains("30 100"));

        shell.resize(new WindowSize(50, 132));
        type(shell, "stty size\n");
        await().atMost(WAIT).untilAsserted(() -> assertThat(screen.text()).contains("50 132"));

        type(shell, "exit 7\n");
        assertThat(shell.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(shell.exitValue()).isEqualTo(7);
        assertThat(screen.ended()).as("the output ends with the command").isTrue();
    }

    @Test
    void aQuickCommandAlreadySeesTheInitialSizeAndItsOutputIsComplete() throws Exception {
        TerminalProcess stty = f.runtime.execOnTerminal(podId, "", List.of("sh", "-c", "stty size; echo TERM=$TERM; exit 3"),
                new WindowSize(24, 80));
        Screen screen = new Screen(stty.getInputStream());

        assertThat(stty.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(screen.ended()).isTrue();
        assertThat(stty.exitValue()).isEqualTo(3);
        assertThat(screen.text()).contains("24 80", "TERM=xterm");
    }

    @Test
    void destroyHangsUpAnInteractiveShell() throws Exception {
        TerminalProcess shell = f.runtime.execOnTerminal(podId, "", List.of("sh"), WindowSize.UNKNOWN);
        Screen screen = new Screen(shell.getInputStream());
        type(shell, "echo ready\n");
        await().atMost(WAIT).untilAsserted(() -> assertThat(screen.text()).contains("ready"));

        shell.destroy();

        assertThat(shell.waitFor(10, TimeUnit.SECONDS)).as("SIGHUP ends a shell that ignores SIGTERM").isTrue();
        assertThat(screen.ended()).isTrue();
    }

    @Test
    void refusesUnknownContainersAndStoppedPods() throws Exception {
        assertThatThrownBy(() -> f.runtime.execOnTerminal(podId, "nope", List.of("sh"), WindowSize.UNKNOWN))
                .hasMessageContaining("no container 'nope'");
        assertThatThrownBy(() -> f.runtime.execOnTerminal(podId, "", List.of("/no/such/program"), WindowSize.UNKNOWN))
                .isInstanceOf(SandboxException.class);
        f.runtime.stop(podId, Duration.ZERO);
        f.awaitExit(podId);
        assertThatThrownBy(() -> f.runtime.execOnTerminal(podId, "", List.of("sh"), WindowSize.UNKNOWN))
                .isInstanceOf(SandboxException.class);
    }
}
