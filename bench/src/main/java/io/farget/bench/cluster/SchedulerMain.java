package io.farget.bench.cluster;

import io.farget.scheduler.bootstrap.SchedulerConfig;
import io.farget.scheduler.bootstrap.SchedulerServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One scheduler replica in a process of its own, started by {@link SchedulerProcess}, so the
 * benchmark measures its heap, RSS and CPU alone and can kill it for real. Speaks over stdio:
 * prints {@code READY HOST:PORT}, then every 100 ms {@code STATS heapUsed rssBytes cpuNanos leader compileMillis};
 * a line {@code gc} on stdin answers {@code GC heapUsedAfterFullGc}; end of stdin stops it.
 */
public final class SchedulerMain {
    private SchedulerMain() {}

    public static void main(String[] args) throws Exception {
        String zk = args[0];
        SchedulerServer server = SchedulerServer.start(SchedulerConfig.defaults(zk).withPort(0));
        System.out.println("READY " + server.address());
        System.out.flush();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ScheduledExecutorService stats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-stats");
            t.setDaemon(true);
            return t;
        });
        stats.scheduleAtFixedRate(() -> {
            synchronized (System.out) {
                System.out.println("STATS " + memory.getHeapMemoryUsage().getUsed() + " " + rssBytes() + " "
                        + os.getProcessCpuTime() + " " + (server.isLeader() ? 1 : 0) + " " + JitCompilers.millis());
                System.out.flush();
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.trim().equals("gc")) {
                    System.gc();
                    synchronized (System.out) {
                        System.out.println("GC " + memory.getHeapMemoryUsage().getUsed());
                        System.out.flush();
                    }
                }
            }
        }
        stats.shutdownNow();
        server.close();
        System.exit(0);
    }

    /** VmRSS of this process from /proc; 0 where there is no /proc. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }
}
