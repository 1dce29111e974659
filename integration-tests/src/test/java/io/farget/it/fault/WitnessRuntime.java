package io.farget.it.fault;

import io.farget.sandbox.ContainerRuntimeStatus;
import io.farget.sandbox.ContainerStats;
import io.farget.sandbox.SandboxException;
import io.farget.sandbox.SandboxRequest;
import io.farget.sandbox.SandboxRuntime;
import io.farget.sandbox.SandboxStats;
import io.farget.sandbox.SandboxStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A sandbox runtime that writes down, in a journal file, when each pod began and stopped running on
 * this host ({@link RunJournal} reads it): the ground truth the invariant checker compares with
 * what the schedulers believe. Everything else passes straight through.
 */
final class WitnessRuntime implements SandboxRuntime {
    private final SandboxRuntime delegate;
    private final Path journal;

    WitnessRuntime(SandboxRuntime delegate, Path journal, String runtimeName) {
        this.delegate = delegate;
        this.journal = journal;
        write(RunJournal.BOOT + " " + runtimeName);
    }

    private synchronized void write(String event) {
        try {
            // One write(2) per line: a kill -9 keeps every line written before it (the page cache survives).
            Files.writeString(journal, System.currentTimeMillis() + " " + event + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the witness journal " + journal, e);
        }
    }

    @Override
    public void start(SandboxRequest request) throws SandboxException {
        delegate.start(request);
        write(RunJournal.START + " " + request.podId() + " " + request.attempt());
    }

    @Override
    public Optional<SandboxRequest> adopt(String podId) {
        Optional<SandboxRequest> adopted = delegate.adopt(podId);
        adopted.ifPresent(r -> write(RunJournal.ADOPT + " " + r.podId() + " " + r.attempt()));
        // An adopted pod that already ended is reported through onExit, which journals its end.
        return adopted;
    }

    @Override
    public void onExit(ExitListener listener) {
        delegate.onExit((podId, status) -> {
            write(RunJournal.EXIT + " " + podId);
            listener.exited(podId, status);
        });
    }

    @Override
    public void remove(String podId) {
        delegate.remove(podId);
        write(RunJournal.REMOVE + " " + podId);
    }

    @Override
    public void stop(String podId, Duration grace) {
        delegate.stop(podId, grace);
    }

    @Override
    public Optional<SandboxStatus> status(String podId) {
        return delegate.status(podId);
    }

    @Override
    public List<ContainerRuntimeStatus> containers(String podId) {
        return delegate.containers(podId);
    }

    @Override
    public Optional<String> progress(String podId) {
        return delegate.progress(podId);
    }

    @Override
    public Process exec(String podId, String container, List<String> command) throws SandboxException {
        return delegate.exec(podId, container, command);
    }

    @Override
    public Optional<String> address(String podId) {
        return delegate.address(podId);
    }

    @Override
    public Optional<SandboxStats> stats(String podId) {
        return delegate.stats(podId);
    }

    @Override
    public List<ContainerStats> containerStats(String podId) {
        return delegate.containerStats(podId);
    }

    @Override
    public Path logFile(String podId, String container) {
        return delegate.logFile(podId, container);
    }

    @Override
    public List<String> list() {
        return delegate.list();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
