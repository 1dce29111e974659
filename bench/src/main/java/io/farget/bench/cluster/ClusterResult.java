package io.farget.bench.cluster;

/**
 * What a run measured. Latencies are from a pod's first submission (its CreatePod, or the CreatePods
 * carrying it) to the watch seeing it RUNNING.
 * Heap, RSS and CPU of the scheduler are -1 when it ran in the benchmark's JVM.
 *
 * @param warmupPods         pods run before the measured ones (not counted in anything but the heap)
 * @param podsPerSecond      pods RUNNING per second, from the first submission to the last pod RUNNING
 * @param lost               pods acknowledged but missing, or ended, at the end; plus pods whose submission failed
 * @param stuck              pods present but not RUNNING when the run gave up waiting
 * @param duplicated         request ids that created more than one pod, plus pods run by more than one agent
 * @param zookeeperWritesPerSecond ZooKeeper transactions (a multi-op counts once) per second of the run
 * @param jitSettleSeconds   how long the run waited after the warm-up for the JIT compilers to go quiet
 * @param schedulerJitSeconds time the schedulers' JIT compilers spent during the measured run (-1: unknown)
 * @param benchJitSeconds    time the benchmark JVM's JIT compilers (hollow agents, clients, ZooKeeper) spent then
 * @param traceSecondsPerSecond how much a replayed trace's time was compressed; 0 for the synthetic mix
 */
public record ClusterResult(
        int agents, int pods, int schedulers, int clients, int batch, double offeredRate, int warmupPods,
        double podsPerSecond, double p50Ms, double p99Ms, double maxMs,
        long lost, long stuck, long duplicated, long retries, boolean leaderKilled,
        long schedulerPeakHeapBytes, long schedulerLiveHeapBytes, long schedulerPeakRssBytes,
        double zookeeperWritesPerSecond, double elapsedSeconds,
        double schedulerCpuSeconds, double zookeeperCpuSeconds, double agentsAndClientsCpuSeconds,
        double jitSettleSeconds, double schedulerJitSeconds, double benchJitSeconds, double traceSecondsPerSecond) {
}
