package io.farget.sandbox.runc;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.sandbox.linux.LibC;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sealed copy runs as runc, cannot be written, and is gone once closed. */
class SealedRuncBinaryTest {
    private final LibC libc = LibC.get();

    @TempDir
    Path bin;

    @Test
    void runcRunsFromAFullySealedCopyThroughALinkNamedRunc() throws Exception {
        SealedRuncBinary sealed = SealedRuncBinary.of("runc", bin, libc).orElseThrow(() -> new AssertionError("memfds can be sealed here"));
        Path link = Path.of(sealed.path());
        try {
            assertThat(link.getFileName()).hasToString("runc");
            assertThat(run(sealed.path(), "--version")).startsWith("runc version");
            // What runc's own check looks at: the file it runs from carries every seal.
            Path target = Files.readSymbolicLink(link);
            String fd = target.getFileName().toString();
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString()).startsWith("/memfd:runc");
            assertThat(libc.fcntl(Integer.parseInt(fd), LibC.F_GET_SEALS, 0))
                    .isEqualTo(LibC.F_SEAL_SEAL | LibC.F_SEAL_SHRINK | LibC.F_SEAL_GROW | LibC.F_SEAL_WRITE);
            assertThat(Files.size(link)).isEqualTo(Files.size(Path.of(run("sh", "-c", "command -v runc").strip())));
            try (var out = Files.newOutputStream(link, java.nio.file.StandardOpenOption.APPEND)) {
                out.write(1);
                throw new AssertionError("a sealed copy took a write");
            } catch (IOException refused) {
                // EPERM: sealed against writes
            }
        } finally {
            sealed.close();
        }
        assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        try (var left = Files.list(bin)) {
            assertThat(left).as("nothing left in the folder").isEmpty();
        }
    }

    /** An agent killed without closing left its link: the next one takes the same place, and the old one's close spares it. */
    @Test
    void aLaterCopyTakesOverTheLinkAndAnEarlierCloseLeavesItAlone() throws Exception {
        SealedRuncBinary earlier = SealedRuncBinary.of("runc", bin, libc).orElseThrow();
        SealedRuncBinary later = SealedRuncBinary.of("runc", bin, libc).orElseThrow();
        try {
            assertThat(later.path()).isEqualTo(earlier.path());
            earlier.close();
            assertThat(run(later.path(), "--version")).startsWith("runc version");
        } finally {
            later.close();
        }
        try (var left = Files.list(bin)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aBinaryThatIsNotThereGivesNoCopy() {
        assertThat(SealedRuncBinary.of("/nonexistent/runc", bin, libc)).isEmpty();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
