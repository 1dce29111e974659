package io.farget.launcher;

import io.farget.cli.command.Converters;
import io.farget.scheduler.bootstrap.SchedulerConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --finished-pod-retention}: how long a scheduler keeps a finished pod before removing it. */
final class RetentionOptions {
    @Option(names = "--finished-pod-retention", paramLabel = "SPAN", defaultValue = "1h", converter = Converters.Span.class,
            description = "How long finished pods stay readable (get, ps) before they are removed from ZooKeeper and memory: "
                    + "30m, 2h, 7d (default ${DEFAULT-VALUE}). Their usage stays in the ledger.")
    Duration finishedPodRetention;

    SchedulerConfig apply(SchedulerConfig base) {
        if (finishedPodRetention.isNegative()) {
            throw new IllegalArgumentException("--finished-pod-retention cannot be negative, got " + finishedPodRetention);
        }
        return base.withFinishedPodRetention(finishedPodRetention);
    }
}
