package io.farget.launcher;

import io.farget.scheduler.metering.MeteringSettings;
import picocli.CommandLine.Option;

/** {@code --metrics-port}: where a scheduler serves Prometheus {@code /metrics} of used and billed resources. */
final class MetricsOptions {
    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "" + MeteringSettings.DEFAULT_METRICS_PORT,
            description = "Port of the Prometheus /metrics endpoint, on the --bind address (default ${DEFAULT-VALUE}; 0 turns it off).")
    int port;

    /** {@code base} serving metrics on {@code host}, or with metrics off when the port is 0. */
    MeteringSettings apply(MeteringSettings base, String host) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--metrics-port must be between 0 and 65535, not " + port);
        }
        return base.withMetrics(host, port == 0 ? -1 : port); // MeteringSettings: 0 picks a free port, negative is off
    }
}
