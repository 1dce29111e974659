package io.farget.cli.terminal;

import io.farget.proto.v1.TerminalSize;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * The user's own terminal while {@code exec -t} runs: its size, raw mode (every key goes to the
 * remote terminal as typed: Ctrl-C included, no local echo), and window changes (SIGWINCH). It is
 * driven through {@code stty} on /dev/tty, which every Debian machine has. Raw mode is always undone:
 * by {@link #close}, or by a shutdown hook when the CLI is ended from outside.
 */
public final class LocalTerminal implements AutoCloseable {
    private static final File TTY = new File("/dev/tty");

    private String saved; // stty -g before raw mode; null when not raw
    private Thread restoreOnExit;

    private LocalTerminal() {}

    /** The terminal, when the CLI runs on one (stdin and stdout both; a pipe or a test has none). */
    public static Optional<LocalTerminal> ifInteractive(boolean usesSystemStreams) {
        return usesSystemStreams && System.console() != null && TTY.exists() ? Optional.of(new LocalTerminal()) : Optional.empty();
    }

    public Optional<TerminalSize> size() {
        return stty("size").flatMap(TerminalSizes::parse);
    }

    /** Turns off line editing, echo and signal keys until {@link #close}. */
    public synchronized void enterRawMode() {
        if (saved != null) {
            return;
        }
        Optional<String> settings = stty("-g").map(String::strip).filter(s -> !s.isEmpty());
        if (settings.isEmpty()) {
            return;
        }
        saved = settings.get();
        restoreOnExit = new Thread(this::restore, "farget-restore-terminal");
        Runtime.getRuntime().addShutdownHook(restoreOnExit);
        stty("raw", "-echo");
    }

    /** Calls {@code listener} with the new size each time the window changes. */
    public void onResize(Consumer<TerminalSize> listener) {
        try {
            Signal.handle(new Signal("WINCH"), signal -> size().ifPresent(listener));
        } catch (IllegalArgumentException e) {
            // This JVM does not let us handle SIGWINCH: the first size stays.
        }
    }

    private synchronized void restore() {
        if (saved != null) {
            stty(saved);
            saved = null;
        }
    }

    @Override
    public synchronized void close() {
        restore();
        if (restoreOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(restoreOnExit);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway, and restoring twice is harmless
            }
            restoreOnExit = null;
        }
    }

    /** Runs stty on the terminal; its output, or empty when it failed. */
    private static Optional<String> stty(String... args) {
        List<String> command = new ArrayList<>(List.of("stty"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
