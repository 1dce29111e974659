package io.farget.bench;

import picocli.CommandLine.Command;

/** {@code farget bench}: measurements run on demand, each printing a results table (or JSON with -o json). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: each prints a results table, or one JSON object with -o json.",
        subcommands = {StartLatencyCommand.class, io.farget.bench.placement.PlacementBenchCommand.class,
                io.farget.bench.placement.ThroughputBenchCommand.class,
                io.farget.bench.cluster.ClusterBenchCommand.class})
public final class BenchCommand {
}
