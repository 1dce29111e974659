package io.farget.bench.cluster;

/** One scheduler replica of a benchmark run, in a child process or (for tests) in this JVM. */
interface SchedulerReplica extends AutoCloseable {
    String address();

    boolean isLeader();

    /** Ends it abruptly: SIGKILL for a process; for one in this JVM, a close without waiting for anyone. */
    void kill();

    /** Peak heap in use as sampled, or -1 when it cannot be told apart from the benchmark's own. */
    long peakHeapBytes();

    /** Heap in use after a full collection, or -1 when unknown. */
    long liveHeapBytes();

    long peakRssBytes();

    long cpuNanos();

    /** Milliseconds its JVM's JIT compilers have spent so far, or -1 when it runs in the benchmark's JVM. */
    long compileMillis();

    @Override
    void close();
}
