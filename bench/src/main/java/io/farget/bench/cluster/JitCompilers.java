package io.farget.bench.cluster;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/** Time this JVM's JIT compilers have spent compiling, as the JVM counts it. */
final class JitCompilers {
    private static final CompilationMXBean COMPILATION = ManagementFactory.getCompilationMXBean();

    private JitCompilers() {}

    /** Milliseconds spent compiling since the JVM started; -1 when the JVM does not tell. */
    static long millis() {
        return COMPILATION != null && COMPILATION.isCompilationTimeMonitoringSupported() ? COMPILATION.getTotalCompilationTime() : -1;
    }
}
