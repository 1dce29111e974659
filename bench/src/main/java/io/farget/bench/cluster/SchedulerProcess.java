package io.farget.bench.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scheduler replica in a child JVM ({@link SchedulerMain}) on this JVM's class path: its
 * address, its sampled heap, RSS and CPU, and a real kill (SIGKILL) for failover runs.
 */
final class SchedulerProcess implements SchedulerReplica {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Writer stdin;
    private final String address;
    private final AtomicLong peakHeap = new AtomicLong();
    private final AtomicLong peakRss = new AtomicLong();
    private final AtomicLong cpuNanos = new AtomicLong();
    private final AtomicLong compileMillis = new AtomicLong(-1);
    private volatile boolean leader;
    private volatile CompletableFuture<Long> gcAnswer = new CompletableFuture<>();

    private SchedulerProcess(Process process, String address) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.address = address;
    }

    static SchedulerProcess start(String zk, List<String> javaOptions, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Dfarget.log.level=WARN");
        command.addAll(javaOptions); // after our defaults, so --scheduler-java-opts can override them (e.g. the log level)
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SchedulerMain.class.getName());
        command.add(zk);
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("READY ")) {
                        return line.substring(6).trim();
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String address;
        try {
            address = ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            address = null;
        }
        if (address == null) {
            process.destroyForcibly();
            throw new IOException("scheduler process did not start; see " + log);
        }
        SchedulerProcess scheduler = new SchedulerProcess(process, address);
        Thread reader = new Thread(() -> scheduler.readStats(out), "scheduler-stats-" + address);
        reader.setDaemon(true);
        reader.start();
        return scheduler;
    }

    private void readStats(BufferedReader out) {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                String[] f = line.trim().split(" ");
                if (f[0].equals("STATS") && f.length == 6) {
                    peakHeap.accumulateAndGet(Long.parseLong(f[1]), Math::max);
                    peakRss.accumulateAndGet(Long.parseLong(f[2]), Math::max);
                    cpuNanos.set(Long.parseLong(f[3]));
                    leader = f[4].equals("1");
                    compileMillis.set(Long.parseLong(f[5]));
                } else if (f[0].equals("GC") && f.length == 2) {
                    gcAnswer.complete(Long.parseLong(f[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended
        }
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public boolean isLeader() {
        return leader && process.isAlive();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public long peakHeapBytes() {
        return peakHeap.get();
    }

    @Override
    public long peakRssBytes() {
        return peakRss.get();
    }

    @Override
    public long cpuNanos() {
        return cpuNanos.get();
    }

    @Override
    public long compileMillis() {
        return compileMillis.get();
    }

    /** Heap in use after a full collection: what the scheduler really holds. -1 when it does not answer. */
    @Override
    public long liveHeapBytes() {
        gcAnswer = new CompletableFuture<>();
        try {
            synchronized (stdin) {
                stdin.write("gc\n");
                stdin.flush();
            }
            return gcAnswer.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return -1;
        }
    }

    /** SIGKILL: no goodbye to ZooKeeper, the agents or the clients. */
    @Override
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            stdin.close(); // end of stdin: a graceful stop
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
