package io.farget.sandbox;

import com.sun.jna.LastErrorException;
import io.farget.sandbox.linux.ConsoleSocket;
import io.farget.sandbox.linux.LibC;
import io.farget.sandbox.linux.PosixIo;
import io.farget.sandbox.linux.Pty;
import io.farget.sandbox.linux.Reaper;
import io.farget.sandbox.runc.ExecProcessSpec;
import io.farget.sandbox.runc.PodLayout;
import io.farget.sandbox.runc.RuncCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts commands on pseudo-terminals in running containers: {@code runc exec -d --tty} with a
 * console socket that receives the terminal's master, then the command is watched by pid (it is this
 * subreaper's child once runc has returned), which gives its exit code. The socket, process spec and
 * pid file live in a private temporary folder removed as soon as the command runs.
 */
final class TerminalExecs {
    private static final Logger log = LoggerFactory.getLogger(TerminalExecs.class);
    private static final Duration HANDOVER = Duration.ofSeconds(5);

    private final RuncCommand runc;
    private final Reaper reaper;
    private final LibC libc;

    TerminalExecs(RuncCommand runc, Reaper reaper, LibC libc) {
        this.runc = runc;
        this.reaper = reaper;
        this.libc = libc;
    }

    TerminalProcess start(String runcId, PodLayout.ContainerBundle bundle, List<String> command, WindowSize size)
            throws SandboxException {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("farget-exec-"); // owner-only: nobody else can connect to the socket
            Path processJson = dir.resolve("process.json");
            Files.writeString(processJson, ExecProcessSpec.of(Files.readString(bundle.configJson(), StandardCharsets.UTF_8),
                    command, size.rows(), size.cols()), StandardCharsets.UTF_8);
            try (ConsoleSocket socket = ConsoleSocket.listen(PosixIo.get(), dir.resolve("console.sock"))) {
                Path pidFile = dir.resolve("pid");
                RuncCommand.Result result = runc.execOnTerminal(runcId, processJson, socket.path(), pidFile, dir.resolve("runc.out"));
                if (!result.ok()) {
                    throw new SandboxException("cannot run the command: " + lastLine(result.output()));
                }
                Pty pty = new Pty(PosixIo.get(), socket.receiveFd(HANDOVER));
                int pid = Integer.parseInt(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
                CompletableFuture<Integer> exit = new CompletableFuture<>();
                reaper.watch(pid, new Reaper.Watcher() {
                    @Override
                    public void exited(int exitCode) {
                        exit.complete(exitCode);
                    }

                    @Override
                    public void vanished() {
                        exit.complete(RuncRuntime.EXIT_CODE_UNKNOWN);
                    }
                });
                log.debug("exec in {}: pid {} on a terminal {}x{}", runcId, pid, size.rows(), size.cols());
                return new TerminalProcess(pty, pid, exit, signal -> signal(pid, signal, exit));
            }
        } catch (IOException | NumberFormatException | LastErrorException e) {
            throw new SandboxException("cannot run the command on a terminal: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static String lastLine(String output) {
        List<String> lines = output.strip().lines().toList();
        return lines.isEmpty() ? "runc exec failed" : lines.get(lines.size() - 1);
    }

    private void signal(int pid, int signal, CompletableFuture<Integer> exit) {
        if (exit.isDone()) {
            return; // reaped: the pid may already name another process
        }
        try {
            libc.kill(pid, signal);
        } catch (LastErrorException e) {
            log.debug("cannot send signal {} to exec pid {}: errno {}", signal, pid, e.getErrorCode());
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.debug("cannot remove {}: {}", dir, e.getMessage());
        }
    }
}
