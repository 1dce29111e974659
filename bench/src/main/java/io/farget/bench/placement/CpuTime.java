package io.farget.bench.placement;

import java.lang.management.ManagementFactory;

/** CPU time the whole process has used (all threads, GC and JIT included), in nanoseconds. */
final class CpuTime {
    private CpuTime() {}

    static long processNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report process CPU time");
    }
}
